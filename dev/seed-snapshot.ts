import { seedDemoCollection, type Standin } from 'milvus-standin';
import type { MilvusGateway } from '../src/milvus/gateway';
import { formatSnapshotDescription } from '../src/contracts/snapshot-marker';

/** A seeded, flushed collection with a snapshot whose marker records its row count (as backups do). */
export async function seedSnapshot(
  { standin, gateway }: { standin: Standin; gateway: MilvusGateway },
  opts: { collection: string; snapshot: string; rows: number; db?: string },
): Promise<void> {
  const db = opts.db ?? 'default';
  await seedDemoCollection(standin.address, {
    collection: opts.collection,
    rows: opts.rows,
    dim: 8,
    db,
    flush: true,
  });
  await gateway.createSnapshot({
    db,
    collection: opts.collection,
    snapshot: opts.snapshot,
    description: formatSnapshotDescription('restore test', { rows: opts.rows, flushed: true }),
  });
}
