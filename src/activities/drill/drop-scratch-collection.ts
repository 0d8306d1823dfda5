import { ApplicationFailure } from '@temporalio/common';
import { isScratchCollectionName } from '../../contracts/drill';
import type { CollectionRef, MilvusGateway } from '../../milvus/gateway';
import { dropCollectionIfExists } from '../drop-collection-if-exists';
import { heartbeat, sleepOrCancel } from '../heartbeat';

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

const IN_FLIGHT = new Set(['Pending', 'Executing']);

/**
 * The drill's cleanup. A restore job still running (the drill was cancelled mid-restore) would
 * recreate the collection after a drop, so it first waits for jobs into the scratch collection to
 * end, then drops, then checks that nothing brought it back.
 */
export function createDropScratchCollectionActivities(gateway: MilvusGateway) {
  async function waitForRestoreJobs(ref: CollectionRef, waitMs: number, pollMs: number): Promise<number> {
    const deadline = Date.now() + waitMs;
    let waitedFor = 0;
    for (;;) {
      const jobs = await gateway.listRestoreJobs({ db: ref.db, collection: ref.collection });
      const running = jobs.filter((j) => IN_FLIGHT.has(j.state));
      if (running.length === 0) return waitedFor;
      waitedFor = Math.max(waitedFor, running.length);
      if (Date.now() > deadline) {
        // Retryable: the caller's compensation retry policy waits and tries again.
        throw ApplicationFailure.retryable(
          `restore jobs into ${ref.collection} still running: ${running.map((j) => j.jobId).join(', ')}`,
          'RestoreJobsStillRunning',
        );
      }
      heartbeat({ waitingForJobs: running.map((j) => j.jobId) });
      await sleepOrCancel(pollMs);
    }
  }

  return {
    async dropScratchCollection(input: DropScratchInput): Promise<DropScratchResult> {
      const ref = { db: input.db, collection: input.collection };
      const isSource = ref.db === input.source.db && ref.collection === input.source.collection;
      if (isSource || !isScratchCollectionName(ref.collection)) {
        throw ApplicationFailure.nonRetryable(
          `refusing to drop ${ref.db}.${ref.collection}: not a drill scratch collection`,
          'NotAScratchCollection',
        );
      }
      const pollMs = input.pollMs ?? 500;
      const waitedForJobs = await waitForRestoreJobs(ref, input.waitForJobsMs ?? 60_000, pollMs);
      const dropped = await dropCollectionIfExists(gateway, ref);
      if (await gateway.hasCollection(ref)) {
        throw ApplicationFailure.retryable(
          `${ref.collection} still exists after the drop`,
          'ScratchStillExists',
        );
      }
      return { dropped, waitedForJobs };
    },
  };
}
