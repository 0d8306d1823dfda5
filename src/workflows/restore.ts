import { surfaceActivityFailure } from './activity-failures';
import { parseWorkflowInput } from './parse-workflow-input';
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RestoreSnapshotDescription } from '../activities/restore/describe-restore-snapshot';
import type { StartedRestore } from '../activities/restore/start-restore';
import type { WaitedRestoreJob } from '../activities/restore/wait-restore-job';
import type { RestoreJobInfo } from '../milvus/gateway';
import { isRestoreJobRunning } from '../milvus/restore-job';
import { durationMs } from '../contracts/input-fields';
import {
  restoreInputSchema,
  restoreJobProgressSignal,
  restoreProgressQuery,
  type RestoreInput,
  type RestoreJobUpdate,
  type RestoreParams,
  type RestorePhase,
  type RestoreProgress,
  type RestoreResult,
  type RestoreVerification,
} from '../contracts/restore';
import {
  MILVUS_COLLECTION,
  MILVUS_DB,
  MILVUS_SNAPSHOT,
  RESTORE_STATE,
  SNAPSHOT_OPERATION,
} from '../temporal/search-attributes';
import { MILVUS_RETRY } from './retry-policies';
import { HEARTBEAT_TIMEOUT } from './heartbeat-timeout';
import { FailureType } from '../contracts/failures';
import { StepTracker } from './steps';
import { DEADLINE_PASSED, withDeadline } from './with-deadline';
import { restoreDetails } from './restore-details';
import {
  dropJobTarget,
  publishRestoreState,
  recordStartedRestoreJob,
  verifyRestoredCollection,
  waitForRestoreJobWithin,
} from './restore-job-run';

/** Failed, timed-out and cancelled runs end with RestoreState saying so (older runs kept the job's state). */
const FINAL_RESTORE_STATE_PATCH = 'restore-final-state';

const { describeRestoreSnapshot, startOrAdoptRestoreJob, startOrAdoptExternalRestore } =
  proxyActivities<Activities>({
    startToCloseTimeout: '1m',
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: MILVUS_RETRY,
  });

/** What one run knows; the query, the search attributes and the compensation read it. */
interface RunState {
  params: RestoreParams;
  steps: StepTracker<never, RestorePhase>;
  status: Omit<RestoreProgress, 'phase'>;
  job?: StartedRestore;
  published?: { state: string; progress: number };
}

function targetName(p: RestoreParams): string {
  return `${p.cluster ? `${p.cluster}:` : ''}${p.targetDb}.${p.targetCollection}`;
}

/** Every activity runs on the cluster the input names (the worker's default when none). */
function onCluster(p: RestoreParams): { cluster?: string } {
  return p.cluster ? { cluster: p.cluster } : {};
}

/** What is restored, for messages: the snapshot, or the bundle holding it. */
function sourceName(p: RestoreParams): string {
  return p.bundle
    ? `snapshot "${p.snapshot}" from bundle ${p.bundle.metadataUri}`
    : `snapshot "${p.snapshot}"`;
}

/** Search attributes are history events: upsert only when what the UI shows changes. */
function publish(run: RunState): void {
  showDetails(run);
  const state = run.status.state ?? 'Pending';
  const progress = run.status.progress;
  if (run.published?.state === state && run.published.progress === progress) return;
  run.published = { state, progress };
  publishRestoreState(run.params.searchAttributes, state, progress);
}

/** The UI's current details: re-rendered whenever the phase or the job's state changes. */
function showDetails(run: RunState): void {
  setCurrentDetails(restoreDetails(run.params, { phase: run.steps.current, ...run.status }));
}

function enter(run: RunState, phase: RestorePhase): void {
  run.steps.enter(phase);
  showDetails(run);
}

/**
 * How the restore ended, for RestoreState once it failed, timed out or was cancelled: the job's
 * last state ('Executing') would otherwise stay searchable as if the restore still ran.
 */
function publishEnd(run: RunState, state: 'Failed' | 'TimedOut' | 'Cancelled'): void {
  if (!patched(FINAL_RESTORE_STATE_PATCH)) return;
  run.published = { state, progress: run.status.progress };
  if (!run.params.searchAttributes) return upsertMemo({ restoreState: state });
  upsertSearchAttributes([{ key: RESTORE_STATE, value: state }]);
}

function applyJobInfo(run: RunState, job: RestoreJobUpdate | RestoreJobInfo, observedAt: number): void {
  if (job.jobId !== run.status.jobId) return;
  run.status.state = job.state;
  run.status.progress = job.progress;
  run.status.reason = job.reason || undefined;
  run.status.milvusTimeCostMs = job.timeCostMs;
  run.status.updatedAt = observedAt;
}

function installHandlers(run: RunState): void {
  setHandler(restoreProgressQuery, () => {
    const asOf = Date.now();
    return { phase: run.steps.current, ...run.status, elapsedMs: asOf - run.status.startedAt, asOf };
  });
  setHandler(restoreJobProgressSignal, (update) => {
    if (run.steps.current !== 'waiting') return; // a late update must not overwrite the outcome
    applyJobInfo(run, update, update.observedAt);
    publish(run);
  });
  recordStartedRestoreJob(run);
}

async function describeSnapshot(p: RestoreParams): Promise<RestoreSnapshotDescription> {
  try {
    return await describeRestoreSnapshot({
      ...onCluster(p),
      snapshot: p.snapshot,
      db: p.sourceDb,
      collection: p.sourceCollection,
    });
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
      if (err.cause.type === 'SnapshotNotFound') {
        throw ApplicationFailure.nonRetryable(
          `Snapshot "${p.snapshot}" of collection ${p.sourceDb}.${p.sourceCollection} does not exist: nothing was restored, nothing dropped. (${err.cause.message})`,
          'SnapshotNotFound',
        );
      }
    }
    throw surfaceActivityFailure(err);
  }
}

async function startOrAdopt(run: RunState, startedAt: number): Promise<StartedRestore> {
  const p = run.params;
  try {
    if (p.bundle) {
      return await startOrAdoptExternalRestore({
        ...onCluster(p),
        metadataUri: p.bundle.metadataUri,
        ...(p.bundle.profile ? { profile: p.bundle.profile } : {}),
        targetDb: p.targetDb,
        targetCollection: p.targetCollection,
        notBeforeMs: startedAt,
      });
    }
    return await startOrAdoptRestoreJob({
      ...onCluster(p),
      snapshot: p.snapshot,
      sourceDb: p.sourceDb,
      sourceCollection: p.sourceCollection,
      targetDb: p.targetDb,
      targetCollection: p.targetCollection,
      notBeforeMs: startedAt,
    });
  } catch (err) {
    throw surfaceActivityFailure(err);
  }
}

function expectedRows(p: RestoreParams, snapshot: RestoreSnapshotDescription | undefined) {
  if (p.verify.expectedRowCount !== undefined) {
    return { expectedRowCount: p.verify.expectedRowCount, expectedRowCountSource: 'input' as const };
  }
  if (snapshot?.markerRows !== undefined) {
    return { expectedRowCount: snapshot.markerRows, expectedRowCountSource: 'snapshot-marker' as const };
  }
  return { expectedRowCount: null, expectedRowCountSource: 'unknown' as const };
}

/** copy_segment_checker.go: a job still running after dataCoord's CopySegmentJobTimeout (24 h) fails so. */
const SERVER_TIMEOUT_REASON = 'timeout';

function jobFailed(p: RestoreParams, job: RestoreJobInfo): ApplicationFailure {
  const limit =
    job.reason === SERVER_TIMEOUT_REASON
      ? ' (Milvus fails a restore job still running after 24 h, and pins its snapshot for at most 24 h)'
      : '';
  return ApplicationFailure.create({
    message: `Restore job ${job.jobId} (${sourceName(p)} into ${targetName(p)}) failed at ${job.progress}%: ${job.reason}${limit}`,
    type: FailureType.RestoreJobFailed,
    nonRetryable: true,
    details: [{ jobId: job.jobId, state: job.state, progress: job.progress, reason: job.reason }],
  });
}

function jobForgottenWithoutTarget(p: RestoreParams, job: WaitedRestoreJob): ApplicationFailure {
  return ApplicationFailure.create({
    message: `Restore job ${job.jobId} (${sourceName(p)} into ${targetName(p)}) is no longer known to Milvus (it forgets a job 3 h after it ends) and the target does not exist: the restore failed or its target was dropped (${job.reason})`,
    type: 'RestoreJobNotFound', // MilvusErrorKind of the 2101 answer
    nonRetryable: true,
    details: [{ jobId: job.jobId, lastProgress: job.progress, reason: job.reason }],
  });
}

function verificationFailed(p: RestoreParams, v: RestoreVerification): ApplicationFailure {
  return ApplicationFailure.create({
    message: `Restored collection ${targetName(p)} failed verification: ${v.problems.join('; ')}`,
    type: FailureType.RestoreVerificationFailed,
    nonRetryable: true,
    details: [v],
  });
}

/** Steps 1–5; throws on any failure, leaving `run.job` set once a job belongs to this run. */
async function restoreSteps(run: RunState, startedAt: number, deadline: number): Promise<RestoreResult> {
  const p = run.params;
  // A bundle is read by RestoreExternalSnapshot itself (its source may be on a lost cluster).
  const snapshot = p.bundle ? undefined : await describeSnapshot(p);

  enter(run, 'starting');
  // Not cancellable: once RestoreSnapshot may have been sent, learn the job id so that a
  // cancellation or timeout arriving meanwhile can still drop what the job creates.
  const job = await CancellationScope.nonCancellable(() => startOrAdopt(run, startedAt));
  run.job = job;
  Object.assign(run.status, { jobId: job.jobId, adopted: job.adopted, state: job.state });
  enter(run, 'waiting');
  upsertMemo({ restoreJobId: job.jobId, restoreJobAdopted: job.adopted });
  publish(run);

  const waitForRestoreJob = waitForRestoreJobWithin(deadline - Date.now());
  const final: WaitedRestoreJob = await waitForRestoreJob({
    ...onCluster(p),
    jobId: job.jobId,
    target: { db: p.targetDb, collection: p.targetCollection },
    pollIntervalMs: durationMs(p.pollInterval),
    maxPollIntervalMs: durationMs(p.maxPollInterval),
    known: { state: run.status.state ?? job.state, progress: run.status.progress },
  });
  const jobCompletedAt = Date.now();
  applyJobInfo(run, final, jobCompletedAt);
  publish(run);
  if (final.forgotten && !final.forgotten.targetExists) throw jobForgottenWithoutTarget(p, final);
  if (final.state === 'Failed') throw jobFailed(p, final);
  enter(run, 'verifying');

  const verification = await verifyRestoredCollection({
    ...onCluster(p),
    target: { db: p.targetDb, collection: p.targetCollection },
    ...expectedRows(p, snapshot),
    load: p.verify.load,
    sampleSize: p.verify.sampleSize,
  });
  if (!verification.passed) throw verificationFailed(p, verification);

  const jobStartedAt = final.startTime > 0 ? final.startTime : job.startTime;
  return {
    ...onCluster(p),
    ...(p.bundle ? { bundle: p.bundle } : {}),
    snapshot: p.snapshot,
    source: { db: p.sourceDb, collection: p.sourceCollection },
    target: { db: p.targetDb, collection: p.targetCollection },
    jobId: job.jobId,
    adopted: job.adopted,
    startedAt,
    jobStartedAt,
    jobCompletedAt,
    completedAt: Date.now(),
    restoreDurationMs: jobCompletedAt - jobStartedAt,
    milvusTimeCostMs: final.timeCostMs,
    ...(final.forgotten ? { jobForgotten: true } : {}),
    verifiedRowCount: verification.rowCount,
    verification,
  };
}

/**
 * Drops the target when this run's job created it (started or adopted), unless told to keep it.
 * Runs even when the workflow is being cancelled. Returns a sentence for the failure message.
 */
async function compensate(run: RunState): Promise<string> {
  const p = run.params;
  const target = targetName(p);
  if (!run.job) return 'No restore job was started, nothing was dropped.';
  if (p.onFailure === 'keep') return `Target ${target} was kept as it is (onFailure=keep).`;
  enter(run, 'compensating');
  const jobId = run.job.jobId;
  return CancellationScope.nonCancellable(async () => {
    try {
      const result = await dropJobTarget({
        ...onCluster(p),
        target: { db: p.targetDb, collection: p.targetCollection },
        jobId,
      });
      const dropped = result.dropped
        ? `The partially restored target ${target} was dropped.`
        : `Target ${target} no longer exists, nothing to drop.`;
      const running = isRestoreJobRunning(result.jobState)
        ? ` Job ${jobId} was still ${result.jobState} and may recreate ${target}; check and drop it by hand.`
        : '';
      return dropped + running;
    } catch (err) {
      const why = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      return `Dropping the target ${target} FAILED (${why}); drop it by hand.`;
    }
  });
}

function timedOut(run: RunState, compensation: string): ApplicationFailure {
  const p = run.params;
  const s = run.status;
  const job = s.jobId ? ` (job ${s.jobId}: ${s.state ?? 'unknown'} at ${s.progress}%)` : '';
  return ApplicationFailure.create({
    message: `Restore timed out: ${sourceName(p)} into ${targetName(p)} did not finish within ${p.timeout}${job}. ${compensation}`,
    type: FailureType.RestoreTimedOut,
    nonRetryable: true,
    details: [{ jobId: s.jobId, state: s.state, progress: s.progress }],
  });
}

/** Failures raised once a restore job exists: their message says what happened to its target. */
const JOB_FAILURES: ReadonlySet<string> = new Set([
  FailureType.RestoreJobFailed,
  FailureType.RestoreVerificationFailed,
  'RestoreJobNotFound', // MilvusErrorKind: the job this run recorded is gone
]);

/** The original failure, its message extended with what happened to the target. */
function withCompensation(err: unknown, compensation: string): unknown {
  if (!(err instanceof ApplicationFailure)) return err;
  if (!err.type || !JOB_FAILURES.has(err.type)) return err; // refusals before any job: nothing to add
  return ApplicationFailure.create({
    message: `${err.message}. ${compensation}`,
    type: err.type,
    nonRetryable: true,
    details: err.details ?? undefined,
  });
}

/**
 * An activity that failed after its retries: Milvus's error kind stays the failure's type (as in
 * the other workflows); failures without one (e.g. an activity timeout) are RestoreFailed.
 */
function activityFailed(err: ActivityFailure, phase: string, compensation: string): ApplicationFailure {
  const surfaced = surfaceActivityFailure(err, `Restore failed while ${phase}`);
  if (surfaced instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      message: `${surfaced.message}. ${compensation}`,
      type: surfaced.type ?? FailureType.RestoreFailed,
      nonRetryable: true,
      details: surfaced.details ?? undefined,
      cause: err,
    });
  }
  return ApplicationFailure.create({
    message: `Restore failed while ${phase}: ${err.cause?.message ?? err.message}. ${compensation}`,
    type: FailureType.RestoreFailed,
    nonRetryable: true,
    cause: err,
  });
}

/**
 * Restores a snapshot into a new collection: describe the snapshot, adopt or start the restore
 * job, wait for it durably (one heartbeating activity; bounded history), verify the target.
 * Failure, timeout and cancellation drop a target this run created (see `onFailure`).
 * With `bundle`, the job is a RestoreExternalSnapshot of an off-site bundle into the input's
 * cluster (no describe step); waiting, verification and compensation are the same code. That path
 * only runs for inputs that name a bundle, so no earlier history changes (no patch needed).
 */
export async function restoreWorkflow(input: RestoreInput): Promise<RestoreResult> {
  const params = parseWorkflowInput(restoreInputSchema, input, 'restore input');
  const startedAt = workflowInfo().startTime.getTime();
  const deadline = startedAt + durationMs(params.timeout);
  const run: RunState = {
    params,
    steps: new StepTracker<never, RestorePhase>('describing'),
    status: { progress: 0, startedAt, elapsedMs: 0, asOf: startedAt },
  };
  installHandlers(run);
  showDetails(run);
  if (params.searchAttributes) {
    upsertSearchAttributes([
      { key: MILVUS_DB, value: params.targetDb },
      { key: MILVUS_COLLECTION, value: params.targetCollection },
      { key: MILVUS_SNAPSHOT, value: params.snapshot },
      { key: SNAPSHOT_OPERATION, value: 'restore' },
    ]);
  }

  try {
    const result = await withDeadline(deadline - Date.now(), () => restoreSteps(run, startedAt, deadline));
    enter(run, 'completed');
    return result;
  } catch (err) {
    const failedAt = run.steps.current;
    const compensation = await compensate(run);
    if (err === DEADLINE_PASSED) {
      enter(run, 'timed-out');
      publishEnd(run, 'TimedOut');
      throw timedOut(run, compensation);
    }
    enter(run, isCancellation(err) ? 'cancelled' : 'failed');
    publishEnd(run, isCancellation(err) ? 'Cancelled' : 'Failed');
    if (isCancellation(err)) throw err;
    if (err instanceof ActivityFailure) throw activityFailed(err, failedAt, compensation);
    throw withCompensation(err, compensation);
  }
}
