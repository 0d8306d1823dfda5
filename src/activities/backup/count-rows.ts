import type { CollectionRef, MilvusGateway, RestoreJobInfo, SnapshotRef } from '../../milvus/gateway';
import { ApplicationFailure } from '@temporalio/common';
import { MILVUS_NAME_MAX_LENGTH } from '../../milvus/names';
import { isRestoreJobFinished } from '../../milvus/jobs';
import { dropCollectionIfExists } from '../drop-collection-if-exists';
import { heartbeat, pollUntil, previousHeartbeat } from '../heartbeat';
import { FailureType } from '../../contracts/failures';

/**
 * How many rows: the collection's now (statistics), and a snapshot's (a restore into a scratch
 * collection, counted and dropped).
 */
export function createCountCollectionRowsActivities(gateway: MilvusGateway) {
  return {
    /** Rows Milvus reports for the collection (statistics: no load, cheap on a production collection). */
    async countCollectionRows(ref: CollectionRef): Promise<{ rows: number }> {
      return { rows: await gateway.statisticsRowCount({ db: ref.db, collection: ref.collection }) };
    },
  };
}

export interface CountSnapshotRowsInput extends SnapshotRef {
  /** Give up (non-retryable) when the scratch restore has not completed after this long. */
  timeoutSeconds: number;
  pollIntervalMs?: number;
}

export interface CountSnapshotRowsResult {
  rows: number;
  scratchCollection: string;
  jobId: string;
  restoreMs: number;
}

const DEFAULT_POLL_MS = 500;
const SCRATCH_PREFIX = '_msw_verify_';

/** The scratch collection a snapshot is restored into to count its rows: fixed per snapshot, so retries reuse it. */
export function verifyScratchCollection(snapshot: string): string {
  return `${SCRATCH_PREFIX}${snapshot}`.slice(0, MILVUS_NAME_MAX_LENGTH);
}

export function isVerifyScratchCollection(name: string): boolean {
  return name.startsWith(SCRATCH_PREFIX);
}

/**
 * Milvus does not say how many rows a snapshot holds, so the only honest count is of a restore:
 * restore into a scratch collection, count(*) it, drop it. A retried attempt (worker crash) keeps
 * waiting on the job it started, recorded in its heartbeat.
 */
export function createCountSnapshotRowsActivities(gateway: MilvusGateway) {
  async function waitForJob(jobId: string, input: CountSnapshotRowsInput): Promise<RestoreJobInfo> {
    const { value: job, settled } = await pollUntil({
      poll: () => gateway.getRestoreState(jobId),
      done: (j) => isRestoreJobFinished(j.state),
      deadline: Date.now() + input.timeoutSeconds * 1000,
      intervalMs: input.pollIntervalMs ?? DEFAULT_POLL_MS,
      details: () => ({ jobId }),
    });
    if (settled) return job;
    throw ApplicationFailure.nonRetryable(
      `scratch restore job ${jobId} of ${input.snapshot} still ${job.state} (${job.progress}%) after ${input.timeoutSeconds}s`,
      FailureType.ScratchRestoreTimedOut,
    );
  }

  return {
    async countSnapshotRows(input: CountSnapshotRowsInput): Promise<CountSnapshotRowsResult> {
      const scratch = { db: input.db, collection: verifyScratchCollection(input.snapshot) };
      const started = Date.now();
      let jobId = previousHeartbeat<{ jobId: string }>()?.jobId;
      if (!jobId) {
        await dropCollectionIfExists(gateway, scratch); // left by an attempt that died before its first heartbeat
        ({ jobId } = await gateway.restoreSnapshot({
          snapshot: input.snapshot,
          sourceDb: input.db,
          sourceCollection: input.collection,
          targetDb: scratch.db,
          targetCollection: scratch.collection,
        }));
        heartbeat({ jobId });
      }
      const job = await waitForJob(jobId, input);
      try {
        if (job.state === 'Failed') {
          throw ApplicationFailure.nonRetryable(
            `scratch restore of ${input.snapshot} failed: ${job.reason}`,
            FailureType.ScratchRestoreFailed,
          );
        }
        const rows = await gateway.countRows(scratch);
        return { rows, scratchCollection: scratch.collection, jobId, restoreMs: Date.now() - started };
      } finally {
        await dropCollectionIfExists(gateway, scratch);
      }
    },
  };
}
