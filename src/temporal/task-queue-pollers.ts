import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * Workers polling a task queue for workflow tasks, as the server sees them (DescribeTaskQueue).
 * The server lists a poller for minutes after its last poll, but a live worker polls again at
 * least every long-poll interval (about a minute): older entries are workers that went away.
 */
const LIVE_POLL_MS = 90_000;

export interface TaskQueuePoller {
  identity: string;
  lastAccessTime: Date;
}

export async function liveWorkflowPollers(
  client: Client,
  taskQueue: string,
  now: Date = new Date(),
): Promise<TaskQueuePoller[]> {
  const response = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (response.pollers ?? [])
    .map((p) => ({
      identity: p.identity ?? '',
      lastAccessTime: new Date(Number(p.lastAccessTime?.seconds ?? 0) * 1000),
    }))
    .filter((p) => now.getTime() - p.lastAccessTime.getTime() < LIVE_POLL_MS);
}
