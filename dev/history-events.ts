import type { WorkflowHandle } from '@temporalio/client';

/** How many events a run's history holds (the number Temporal limits per run). */
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
