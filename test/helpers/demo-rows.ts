import { demoRow } from 'milvus-standin';
import type { CollectionRef, MilvusGateway } from '../../src/milvus/gateway';

/** Asserts the collection holds exactly the stand-in's demo rows 1…count, every field (vectors too). */
export async function expectDemoRows(
  gateway: MilvusGateway,
  ref: CollectionRef,
  count: number,
  dim: number,
): Promise<void> {
  const rows = await gateway.query(ref, 'id >= 0', ['id', 'vector', 'title', 'year'], count + 1000);
  expect(rows).toHaveLength(count);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  // The SDK answers Int64 fields as strings.
  for (let i = 0; i < count; i++) {
    const row = byId.get(i + 1)!;
    expect({ ...row, id: Number(row.id), year: Number(row.year) }).toEqual(demoRow(i, dim));
  }
}
