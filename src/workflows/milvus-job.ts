import {
  CancellationScope,
  proxyActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DropRestoredInput } from '../activities/restore/drop-restored-collection';
import type { StartedRestore } from '../activities/restore/start-restore';
import type { MilvusJobWaitInput } from '../activities/wait-for-milvus-job';
import { durationMs } from '../contracts/input-fields';
import { restoreJobStartedSignal } from '../contracts/restore';
import type { RestoreState } from '../milvus/gateway';
import { RESTORE_PROGRESS, RESTORE_STATE } from '../temporal/search-attributes';
import {
  COMPENSATION_RETRY,
  DEADLINE_BOUNDED_RETRY,
  HEARTBEAT_TIMEOUT,
  MILVUS_RETRY,
} from './retry-policies';

/**
 * A run around one Milvus job (restore, export, recover): "start a Milvus job, wait durably,
 * record". Its frame (`runUntilDeadline`: the deadline, the end in each outcome), the start that is
 * never cut short and the wait (`startAndWait`); below, what restore and recover share about their
 * restore job (verify, drop, the job-started signal, the published state).
 */

type DurationInput = Parameters<typeof durationMs>[0];

/** Thrown by withDeadline when the time ran out first (the work was cancelled). */
const DEADLINE_PASSED = Symbol('deadline passed');

/** Runs `fn` until it settles or `ms` pass; then cancels it and throws DEADLINE_PASSED. */
async function withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const work = new CancellationScope();
  const timer = new CancellationScope();
  const working = work.run(fn);
  const timing = timer.run(() => sleep(Math.max(ms, 1)));
  timing.catch(() => undefined); // cancelled once the work settles first
  try {
    const first = await Promise.race([working.then((value) => ({ value })), timing.then(() => undefined)]);
    if (first) return first.value;
    work.cancel();
    await working.catch(() => undefined);
    throw DEADLINE_PASSED;
  } finally {
    timer.cancel();
  }
}

/** How a job run ends: `completed` on success, else `failed` returns what the run fails with. */
export interface JobRunEnd {
  completed(): void;
  /** `timedOut`: the run's timeout passed (the steps were cancelled); else `err` is what they threw. */
  failed(err: unknown, timedOut: boolean): unknown;
}

/** Runs `steps` until they settle or the run's `timeout` (from the run's start) passes. */
export async function runUntilDeadline<T>(
  timeout: DurationInput,
  steps: (deadline: number) => Promise<T>,
  end: JobRunEnd,
): Promise<T> {
  const deadline = workflowInfo().startTime.getTime() + durationMs(timeout);
  try {
    const result = await withDeadline(deadline - Date.now(), () => steps(deadline));
    end.completed();
    return result;
  } catch (err) {
    throw await end.failed(err, err === DEADLINE_PASSED);
  }
}

type JobWaits = Pick<Activities, 'waitForRestoreJob' | 'waitForExportJob'>;

/** The wait is bounded by the workflow's own deadline timer; the activity timeout is a safety net. */
function jobWaitsWithin(remainingMs: number): JobWaits {
  return proxyActivities<Activities>({
    startToCloseTimeout: remainingMs + 60_000,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: DEADLINE_BOUNDED_RETRY,
  });
}

interface MilvusJob {
  jobId: string;
  state: RestoreState;
}

/**
 * Starts or adopts the job, hands it to `started` (the run records and publishes it), then waits
 * for it durably (one heartbeating activity, bounded by `deadline`). The start is not cancellable:
 * once the call may have been sent, the run learns the job id, so a cancellation or timeout
 * arriving meanwhile can still act on what the job creates.
 */
export async function startAndWait<J extends MilvusJob, F>(job: {
  deadline: number;
  polling: { pollInterval: DurationInput; maxPollInterval: DurationInput };
  /** What the run knows of the job once started (its signals may have moved it on). */
  status: { state?: RestoreState; progress: number };
  start: () => Promise<J>;
  started: (job: J) => void;
  wait: (waits: JobWaits, input: MilvusJobWaitInput) => Promise<F>;
}): Promise<{ started: J; final: F }> {
  const started = await CancellationScope.nonCancellable(job.start);
  job.started(started);
  const final = await job.wait(jobWaitsWithin(job.deadline - Date.now()), {
    jobId: started.jobId,
    pollIntervalMs: durationMs(job.polling.pollInterval),
    maxPollIntervalMs: durationMs(job.polling.maxPollInterval),
    known: { state: job.status.state ?? started.state, progress: job.status.progress },
  });
  return { started, final };
}

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

/**
 * The job id, known before the start activity completes: a failure after the start call (the
 * activity's retries exhausted) still finds the job, so the compensation drops its target.
 */
export function recordStartedRestoreJob(run: {
  job?: StartedRestore;
  status: { jobId?: string; state?: string };
}): void {
  setHandler(restoreJobStartedSignal, ({ jobId, startTime }) => {
    if (run.job) return;
    run.job = { jobId, adopted: false, state: 'Pending', startTime };
    // A new job is Pending: the progress query must not show a job without a state in between.
    Object.assign(run.status, { jobId, state: 'Pending' });
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
