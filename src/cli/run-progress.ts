import type { SnapshotWorkerClient } from '../client';
import type { Progress } from './output/progress';
import { secondsSince } from './run-operation';

/**
 * Progress of a run whose workflow answers no progress query: what Temporal says it is doing — its
 * pending activities, or those of its one child (a coordinating run) — and the time since it began.
 */
export async function pendingWorkProgress(
  client: SnapshotWorkerClient,
  workflowId: string,
  name: string,
): Promise<Progress> {
  const info = await client.client.workflow.getHandle(workflowId).describe();
  let pending = info.raw.pendingActivities ?? [];
  const children = info.raw.pendingChildren ?? [];
  if (pending.length === 0 && children.length === 1 && children[0].workflowId) {
    const child = await client.client.workflow.getHandle(children[0].workflowId).describe();
    pending = child.raw.pendingActivities ?? [];
  }
  const activities = [...new Set(pending.map((a) => a.activityType?.name).filter(Boolean))];
  const doing =
    activities.length > 0
      ? activities.join(', ')
      : children.length > 1
        ? `${children.length} collections in progress`
        : 'waiting';
  return { label: `${name}: ${doing} (${secondsSince(info.startTime.getTime())} s)` };
}
