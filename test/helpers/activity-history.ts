import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** Event ids (as strings) of the ActivityTaskScheduled events of the named activity. */
function scheduledIds(events: HistoryEvent[], activity: string): Set<string> {
  return new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity)
      .map((e) => String(e.eventId)),
  );
}

/** The attempt number of the last attempt of each execution of the named activity. */
export async function attemptsOf(handle: WorkflowHandle, activity: string): Promise<number[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = scheduledIds(events, activity);
  return events
    .filter((e) => scheduled.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
    .map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
}

/** Results of every completed execution of the named activity, decoded. */
export async function activityResults(handle: WorkflowHandle, activity: string): Promise<unknown[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = scheduledIds(events, activity);
  return events
    .filter((e) => scheduled.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)))
    .map((e) =>
      defaultPayloadConverter.fromPayload(e.activityTaskCompletedEventAttributes!.result!.payloads![0]!),
    );
}
