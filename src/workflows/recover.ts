import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StartedRestore } from '../activities/restore/start-restore';
import type { CatalogEntry } from '../contracts/catalog';
import {
  recoverInputSchema,
  recoverProgressQuery,
  type RecoverInput,
  type RecoverParams,
  type RecoverProgress,
  type RecoverResult,
} from '../contracts/recover';
import { FailureType } from '../contracts/failures';
import { restoreJobProgressSignal } from '../contracts/restore';
import { isRestoreJobRunning } from '../milvus/jobs';
import { surfaceActivityFailure } from './activity-failures';
import { parseWorkflowInput } from './parse-workflow-input';
import { HEARTBEAT_TIMEOUT, MILVUS_RETRY } from './retry-policies';
import {
  dropJobTarget,
  publishRestoreState,
  recordStartedRestoreJob,
  runUntilDeadline,
  startAndWait,
  verifyRestoredCollection,
} from './milvus-job';
import { searchableAs, searchableSnapshot } from './steps';

const { checkRecovery, startOrAdoptExternalRestore, releaseCatalogPin } = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

interface RecoverRun {
  p: RecoverParams;
  target: string;
  status: RecoverProgress;
  entry?: CatalogEntry;
  job?: StartedRestore;
}

/** Every step after the check runs on the cluster the entry's backup ran on (its storage holds the pin). */
function onCluster(run: RecoverRun): { cluster?: string } {
  return run.entry?.cluster ? { cluster: run.entry.cluster } : {};
}

/** `[cluster:]db.target`, for messages. */
function targetName(run: RecoverRun): string {
  const cluster = onCluster(run).cluster;
  return `${cluster ? `${cluster}:` : ''}${run.p.db}.${run.target}`;
}

function publish(run: RecoverRun): void {
  publishRestoreState(run.p.searchAttributes, run.status.state ?? 'Pending', run.status.progress);
}

function installHandlers(run: RecoverRun): void {
  setHandler(recoverProgressQuery, () => {
    const asOf = Date.now();
    return { ...run.status, elapsedMs: asOf - run.status.startedAt, asOf };
  });
  setHandler(restoreJobProgressSignal, (update) => {
    if (run.status.phase !== 'waiting' || update.jobId !== run.status.jobId) return;
    Object.assign(run.status, {
      state: update.state,
      progress: update.progress,
      reason: update.reason || undefined,
      milvusTimeCostMs: update.timeCostMs,
      updatedAt: update.observedAt,
    });
    publish(run);
  });
  recordStartedRestoreJob(run);
}

function refused(err: unknown): unknown {
  return surfaceActivityFailure(err);
}

function failure(run: RecoverRun, type: FailureType, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    message: `Recovery of ${run.p.db}.${run.p.collection} into ${targetName(run)} ${message}`,
    type,
    nonRetryable: true,
    details: details === undefined ? undefined : [details],
  });
}

/**
 * RestoreExternalSnapshot answers "not found" for a metadata file Milvus collected (the pin
 * lapsed or was released after the drop): the refusal names that instead of Milvus's words alone.
 */
function startFailed(run: RecoverRun, err: unknown): unknown {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.type === 'SnapshotNotFound') {
    return failure(
      run,
      FailureType.SnapshotCollected,
      `refused: Milvus no longer has snapshot ${run.entry!.snapshot} (its pin lapsed or was released and it was collected): ${cause.message}. Nothing was created.`,
    );
  }
  return surfaceActivityFailure(err, 'Recovery failed while starting');
}

async function recoverSteps(run: RecoverRun, deadline: number): Promise<RecoverResult> {
  const { p, target } = run;
  const entry = await checkRecovery({
    ...(p.cluster ? { cluster: p.cluster } : {}),
    db: p.db,
    collection: p.collection,
    target,
    snapshot: p.snapshot,
  }).catch((err) => Promise.reject(refused(err)));
  run.entry = entry;
  run.status.snapshot = entry.snapshot;
  if (p.searchAttributes) searchableSnapshot(entry.snapshot);

  run.status.phase = 'starting';
  const { started: job, final } = await startAndWait({
    deadline,
    polling: p,
    status: run.status,
    start: () =>
      startOrAdoptExternalRestore({
        ...onCluster(run),
        metadataUri: entry.metadataUri,
        targetDb: p.db,
        targetCollection: target,
        notBeforeMs: run.status.startedAt,
      }).catch((err) => Promise.reject(startFailed(run, err))),
    started: (job) => {
      run.job = job;
      Object.assign(run.status, {
        phase: 'waiting',
        jobId: job.jobId,
        adopted: job.adopted,
        state: job.state,
      });
      upsertMemo({ restoreJobId: job.jobId, restoreJobAdopted: job.adopted });
      publish(run);
    },
    wait: (waits, wait) =>
      waits.waitForRestoreJob({ ...onCluster(run), ...wait, target: { db: p.db, collection: target } }),
  });
  Object.assign(run.status, {
    state: final.state,
    progress: final.progress,
    reason: final.reason || undefined,
  });
  publish(run);
  if (final.forgotten && !final.forgotten.targetExists) {
    throw failure(
      run,
      FailureType.RestoreJobFailed,
      `failed: job ${job.jobId} is forgotten and the target is gone`,
    );
  }
  if (final.state === 'Failed') {
    throw failure(
      run,
      FailureType.RestoreJobFailed,
      `failed: job ${job.jobId} failed at ${final.progress}%: ${final.reason}`,
      {
        jobId: job.jobId,
        reason: final.reason,
      },
    );
  }

  run.status.phase = 'verifying';
  const verification = await verifyRestoredCollection({
    ...onCluster(run),
    target: { db: p.db, collection: target },
    expectedRowCount: entry.rowCount,
    expectedRowCountSource: entry.rowCount === null ? 'unknown' : 'catalog',
    load: p.verify.load,
    sampleSize: p.verify.sampleSize,
  });
  if (!verification.passed) {
    throw failure(
      run,
      FailureType.RecoverVerificationFailed,
      `failed verification: ${verification.problems.join('; ')}`,
      verification,
    );
  }

  let pinReleased = false;
  if (p.releasePin && entry.pin) {
    run.status.phase = 'releasing-pin';
    await releaseCatalogPin({
      ...onCluster(run),
      db: p.db,
      collection: p.collection,
      snapshot: entry.snapshot,
      pinId: entry.pin.id,
    });
    pinReleased = true;
  }
  return {
    ...onCluster(run),
    db: p.db,
    collection: p.collection,
    target,
    snapshot: entry.snapshot,
    metadataUri: entry.metadataUri,
    jobId: job.jobId,
    adopted: job.adopted,
    rowCount: verification.rowCount,
    ...(verification.sampleRows !== undefined ? { sampleRows: verification.sampleRows } : {}),
    pinReleased,
    startedAt: run.status.startedAt,
    completedAt: Date.now(),
  };
}

/** Drops a target this run's job created (a partial collection must not pass for the recovered one). */
async function compensate(run: RecoverRun): Promise<string> {
  const name = targetName(run);
  if (!run.job) return 'Nothing was started, nothing was dropped.';
  const jobId = run.job.jobId;
  run.status.phase = 'compensating';
  return CancellationScope.nonCancellable(async () => {
    try {
      const result = await dropJobTarget({
        ...onCluster(run),
        target: { db: run.p.db, collection: run.target },
        jobId,
      });
      const running = isRestoreJobRunning(result.jobState)
        ? ` Job ${jobId} was still ${result.jobState} and may recreate ${name}; check and drop it by hand.`
        : '';
      return (result.dropped ? `The partial ${name} was dropped.` : `${name} does not exist.`) + running;
    } catch (err) {
      const why = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      return `Dropping ${name} FAILED (${why}); drop it by hand.`;
    }
  });
}

/**
 * Recovers a dropped collection from its catalog: the newest snapshot whose protection pin holds
 * (or a named one) is restored by its metadata URI (RestoreExternalSnapshot, the one way to reach
 * a snapshot after its collection was dropped), waited for durably like a restore, verified
 * against the catalog's row count; the pin is released afterwards only when asked. It all runs on
 * the cluster the entry's backup ran on (named inputs only: the commands are those of the
 * default-cluster runs before, so no patch).
 */
export async function recoverWorkflow(input: RecoverInput): Promise<RecoverResult> {
  const p = parseWorkflowInput(recoverInputSchema, input, 'recover input');
  const startedAt = workflowInfo().startTime.getTime();
  const run: RecoverRun = {
    p,
    target: p.as ?? p.collection,
    status: { phase: 'checking', progress: 0, startedAt, elapsedMs: 0, asOf: startedAt },
  };
  installHandlers(run);
  if (p.searchAttributes) searchableAs('recover', { db: p.db, collection: run.target });
  return runUntilDeadline(p.timeout, (deadline) => recoverSteps(run, deadline), {
    completed: () => {
      run.status.phase = 'completed';
    },
    failed: async (err, timedOut) => {
      const failedAt = run.status.phase;
      const compensation = await compensate(run);
      if (timedOut) {
        run.status.phase = 'timed-out';
        return failure(run, FailureType.RestoreTimedOut, `timed out after ${p.timeout}. ${compensation}`);
      }
      run.status.phase = isCancellation(err) ? 'cancelled' : 'failed';
      const surfaced =
        err instanceof ActivityFailure
          ? surfaceActivityFailure(err, `Recovery failed while ${failedAt}`)
          : err;
      if (isCancellation(err) || !run.job || !(surfaced instanceof ApplicationFailure)) return surfaced;
      return ApplicationFailure.create({
        message: `${surfaced.message}. ${compensation}`,
        type: surfaced.type ?? FailureType.RestoreFailed,
        nonRetryable: true,
        details: surfaced.details ?? undefined,
      });
    },
  });
}
