import type { WorkflowHandle } from '@temporalio/client';
import { seedDemoCollection } from 'milvus-standin';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { formatSnapshotDescription } from '../../src/contracts/snapshot-marker';

/** A seeded, flushed collection with a snapshot whose marker records its row count (as backups do). */
export async function seedSnapshot(
  address: string,
  gateway: MilvusGateway,
  opts: { collection: string; snapshot: string; rows: number; db?: string },
): Promise<void> {
  const db = opts.db ?? 'default';
  await seedDemoCollection(address, {
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
