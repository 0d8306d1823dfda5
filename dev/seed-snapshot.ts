import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { demoRow, seedDemoCollection, type Standin } from 'milvus-standin';
import type { MilvusGateway } from '../src/milvus/gateway';
import { formatSnapshotDescription } from '../src/contracts/snapshot-marker';

const DIM = 8;

/** Inserts demo rows [from, to) and flushes them into one more sealed segment. */
async function addSegment(address: string, db: string, collection: string, from: number, to: number) {
  const client = new MilvusClient({ address, database: db, logLevel: 'warn' });
  try {
    const data = Array.from({ length: to - from }, (_, k) => demoRow(from + k, DIM));
    const inserted = await client.insert({ collection_name: collection, db_name: db, data });
    if (inserted.status.error_code !== 'Success') throw new Error(`insert: ${inserted.status.reason}`);
    await client.flushSync({ collection_names: [collection], db_name: db } as Parameters<
      MilvusClient['flushSync']
    >[0]);
  } finally {
    await client.closeConnection();
  }
}

/**
 * A seeded, flushed collection with a snapshot whose marker records its row count (as backups do).
 * With `segments`, the rows are flushed in that many sealed segments: a restore's progress counts
 * copied segments, so only then does it move between 0 and 100.
 */
export async function seedSnapshot(
  { standin, gateway }: { standin: Standin; gateway: MilvusGateway },
  opts: { collection: string; snapshot: string; rows: number; db?: string; segments?: number },
): Promise<void> {
  const db = opts.db ?? 'default';
  const perSegment = Math.ceil(opts.rows / (opts.segments ?? 1));
  await seedDemoCollection(standin.address, {
    collection: opts.collection,
    rows: Math.min(perSegment, opts.rows),
    dim: DIM,
    db,
    flush: true,
  });
  for (let from = perSegment; from < opts.rows; from += perSegment) {
    await addSegment(standin.address, db, opts.collection, from, Math.min(from + perSegment, opts.rows));
  }
  await gateway.createSnapshot({
    db,
    collection: opts.collection,
    snapshot: opts.snapshot,
    description: formatSnapshotDescription('restore test', { rows: opts.rows, flushed: true }),
  });
}
