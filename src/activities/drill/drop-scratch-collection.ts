import { ApplicationFailure } from '@temporalio/common';
import { isScratchCollectionName } from '../../contracts/drill';
import { isMilvusError } from '../../milvus/errors';
import type { CollectionRef, MilvusGateway, RestoreJobInfo } from '../../milvus/gateway';
import { isRestoreJobRunning } from '../../milvus/jobs';
import { dropCollectionIfExists } from '../drop-collection-if-exists';
import { pollUntil } from '../heartbeat';
import { FailureType } from '../../contracts/failures';

export interface DropScratchInput extends CollectionRef {
  /** The drilled collection: never dropped, whatever the scratch name says. */
  source: CollectionRef;
  /** How long to wait for restore jobs into the scratch collection to finish before giving up (retried). */
  waitForJobsMs?: number;
  pollMs?: number;
}

export interface DropScratchResult {
  /** The scratch collection existed and was dropped. */
  dropped: boolean;
  /** Restore jobs into the scratch collection that were still running and were waited for. */
  waitedForJobs: number;
}

/**
 * The drill's cleanup. A restore job still running (the drill was cancelled mid-restore) would
 * recreate the collection after a drop, so it first waits for jobs into the scratch collection to
 * end, then drops, then checks that nothing brought it back.
 */
export function createDropScratchCollectionActivities(gateway: MilvusGateway) {
  /**
   * Restore jobs into the collection. Milvus answers 100 when asked by a collection that does not
   * exist; none can be writing into it then, since a restore creates its target inside
   * RestoreSnapshot (internal/datacoord/snapshot_manager.go) and a failed one keeps it.
   */
  async function jobsInto(ref: CollectionRef): Promise<RestoreJobInfo[]> {
    try {
      return await gateway.listRestoreJobs({ db: ref.db, collection: ref.collection });
    } catch (err) {
      if (isMilvusError(err) && err.kind === 'CollectionNotFound') return [];
      throw err;
    }
  }

  async function waitForRestoreJobs(ref: CollectionRef, waitMs: number, pollMs: number): Promise<number> {
    let waitedFor = 0;
    const { value: running, settled } = await pollUntil({
      poll: async () => (await jobsInto(ref)).filter((j) => isRestoreJobRunning(j.state)),
      done: (jobs) => jobs.length === 0,
      deadline: Date.now() + waitMs,
      intervalMs: pollMs,
      details: (jobs) => {
        waitedFor = Math.max(waitedFor, jobs.length);
        return { waitingForJobs: jobs.map((j) => j.jobId) };
      },
    });
    if (settled) return waitedFor;
    // Retryable: the caller's compensation retry policy waits and tries again.
    throw ApplicationFailure.retryable(
      `restore jobs into ${ref.collection} still running: ${running.map((j) => j.jobId).join(', ')}`,
      FailureType.RestoreJobsStillRunning,
    );
  }

  return {
    async dropScratchCollection(input: DropScratchInput): Promise<DropScratchResult> {
      const ref = { db: input.db, collection: input.collection };
      const isSource = ref.db === input.source.db && ref.collection === input.source.collection;
      if (isSource || !isScratchCollectionName(ref.collection)) {
        throw ApplicationFailure.nonRetryable(
          `refusing to drop ${ref.db}.${ref.collection}: not a drill scratch collection`,
          FailureType.NotAScratchCollection,
        );
      }
      const pollMs = input.pollMs ?? 500;
      const waitedForJobs = await waitForRestoreJobs(ref, input.waitForJobsMs ?? 60_000, pollMs);
      const dropped = await dropCollectionIfExists(gateway, ref);
      if (await gateway.hasCollection(ref)) {
        throw ApplicationFailure.retryable(
          `${ref.collection} still exists after the drop`,
          FailureType.ScratchStillExists,
        );
      }
      return { dropped, waitedForJobs };
    },
  };
}
