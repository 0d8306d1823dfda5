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

/** The attempt number of the last attempt of each execution of the named activity (local ones too). */
export async function attemptsOf(handle: WorkflowHandle, activity: string): Promise<number[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = scheduledIds(events, activity);
  return events.flatMap((e) => {
    if (scheduled.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
      return [e.activityTaskStartedEventAttributes?.attempt ?? 0];
    const local = localActivityData(e);
    return local?.activity_type === activity ? [local.attempt ?? 0] : [];
  });
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

/** Core records each local activity's outcome as a marker; its `data` names the activity type and attempt. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

function localActivityData(event: HistoryEvent): { activity_type?: string; attempt?: number } | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) return undefined;
  const payload = marker.details?.data?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
}

/** Types of the activities a run executed, in order: scheduled ones and local ones (markers). */
export async function activityTypes(handle: WorkflowHandle): Promise<string[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events.flatMap(
    (e) =>
      e.activityTaskScheduledEventAttributes?.activityType?.name ?? localActivityData(e)?.activity_type ?? [],
  );
}
