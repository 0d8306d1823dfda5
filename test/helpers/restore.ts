import type { WorkflowHandle } from '@temporalio/client';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { demoRow, seedDemoCollection } from 'milvus-standin';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { formatSnapshotDescription } from '../../src/contracts/snapshot-marker';

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
  address: string,
  gateway: MilvusGateway,
  opts: { collection: string; snapshot: string; rows: number; db?: string; segments?: number },
): Promise<void> {
  const db = opts.db ?? 'default';
  const segments = opts.segments ?? 1;
  const perSegment = Math.ceil(opts.rows / segments);
  await seedDemoCollection(address, {
    collection: opts.collection,
    rows: Math.min(perSegment, opts.rows),
    dim: DIM,
    db,
    flush: true,
  });
  for (let from = perSegment; from < opts.rows; from += perSegment) {
    await addSegment(address, db, opts.collection, from, Math.min(from + perSegment, opts.rows));
  }
  await gateway.createSnapshot({
    db,
    collection: opts.collection,
    snapshot: opts.snapshot,
    description: formatSnapshotDescription('restore test', { rows: opts.rows, flushed: true }),
  });
}

export async function historyEventCount(handle: WorkflowHandle): Promise<number> {
  return (await handle.fetchHistory()).events?.length ?? 0;
}

/** Event type names of a run's history, for messages when a count assertion fails. */
export async function historyEventTypes(handle: WorkflowHandle): Promise<string[]> {
  const { EventType } = await import('@temporalio/proto').then((m) => m.temporal.api.enums.v1);
  return ((await handle.fetchHistory()).events ?? []).map((e) =>
    String(EventType[e.eventType ?? 0]).replace('EVENT_TYPE_', ''),
  );
}
