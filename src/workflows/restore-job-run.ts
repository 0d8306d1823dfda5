import { proxyActivities, setHandler, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DropRestoredInput } from '../activities/restore/drop-restored-collection';
import type { StartedRestore } from '../activities/restore/start-restore';
import { restoreJobStartedSignal } from '../contracts/restore';
import { RESTORE_PROGRESS, RESTORE_STATE } from '../temporal/search-attributes';
import { HEARTBEAT_TIMEOUT } from './heartbeat-timeout';
import { COMPENSATION_RETRY, DEADLINE_BOUNDED_RETRY, MILVUS_RETRY } from './retry-policies';

/**
 * What restoreWorkflow and recoverWorkflow share about the one restore job a run starts or adopts:
 * the activities that wait on, verify and drop it, the job-started signal, the published state.
 */

/** How long the compensation watches a job Milvus cannot cancel before giving up on it. */
const SETTLE_TIMEOUT_MS = 5 * 60_000;

export const { verifyRestoredCollection } = proxyActivities<Activities>({
  startToCloseTimeout: '15m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});
const { dropRestoredCollection } = proxyActivities<Activities>({
  startToCloseTimeout: `${SETTLE_TIMEOUT_MS + 60_000}ms`,
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: COMPENSATION_RETRY,
});

/** The compensation: drops the target the job created, once the job has settled (or the watch gave up). */
export function dropJobTarget(request: Omit<DropRestoredInput, 'settleTimeoutMs'>) {
  return dropRestoredCollection({ ...request, settleTimeoutMs: SETTLE_TIMEOUT_MS });
}

/** The wait is bounded by the workflow's own deadline timer; the activity timeout is a safety net. */
export function waitForRestoreJobWithin(remainingMs: number) {
  return proxyActivities<Activities>({
    startToCloseTimeout: remainingMs + 60_000,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: DEADLINE_BOUNDED_RETRY,
  }).waitForRestoreJob;
}

/**
 * The job id, known before the start activity completes: a failure after the start call (the
 * activity's retries exhausted) still finds the job, so the compensation drops its target.
 */
export function recordStartedRestoreJob(run: { job?: StartedRestore; status: { jobId?: string } }): void {
  setHandler(restoreJobStartedSignal, ({ jobId, startTime }) => {
    if (run.job) return;
    run.job = { jobId, adopted: false, state: 'Pending', startTime };
    run.status.jobId = jobId;
  });
}

/** RestoreState and RestoreProgress: search attributes, or memo where the input turned them off. */
export function publishRestoreState(searchAttributes: boolean, state: string, progress: number): void {
  if (!searchAttributes) return upsertMemo({ restoreState: state, restoreProgress: progress });
  upsertSearchAttributes([
    { key: RESTORE_STATE, value: state },
    { key: RESTORE_PROGRESS, value: progress },
  ]);
}
