import { isMilvusError } from '../../milvus/errors';
import type { CollectionRef, MilvusGateway, RestoreState } from '../../milvus/gateway';
import { isRestoreJobFinished } from '../../milvus/jobs';
import { dropCollectionIfExists } from '../drop-collection-if-exists';
import { pollUntil, previousHeartbeat } from '../heartbeat';

export interface DropRestoredInput {
  target: CollectionRef;
  /** The job that created the target: dropped again if it was still writing when first dropped. */
  jobId: string;
  /** How long to wait for a still-running job to end (Milvus cannot cancel a restore job). */
  settleTimeoutMs: number;
}

export interface DropRestoredResult {
  /** The target existed at some point and was dropped. */
  dropped: boolean;
  /** The job's last seen state; a non-terminal one means it may still write after this. */
  jobState: RestoreState | 'NotFound';
}

const SETTLE_POLL_MS = 1_000;

async function jobState(gateway: MilvusGateway, jobId: string): Promise<RestoreState | 'NotFound'> {
  try {
    return (await gateway.getRestoreState(jobId)).state;
  } catch (err) {
    if (isMilvusError(err) && err.kind === 'RestoreJobNotFound') return 'NotFound';
    throw err;
  }
}

/**
 * Compensation for a failed, timed-out or cancelled restore: drop the target this run's job
 * created. Milvus has no "cancel restore", so a job still running is watched until it ends (up to
 * settleTimeoutMs) and whatever it wrote in the meantime is dropped too. Idempotent.
 */
export function createDropRestoredCollectionActivities(gateway: MilvusGateway) {
  return {
    async dropRestoredCollection(input: DropRestoredInput): Promise<DropRestoredResult> {
      // An attempt that dropped the target and then timed out says so in its heartbeat: the retry
      // finds nothing to drop but must still report the drop.
      let dropped = previousHeartbeat<{ dropped?: boolean }>()?.dropped === true;
      const { value: state } = await pollUntil({
        poll: async () => {
          dropped = (await dropCollectionIfExists(gateway, input.target)) || dropped;
          return jobState(gateway, input.jobId);
        },
        done: (s) => s === 'NotFound' || isRestoreJobFinished(s),
        deadline: Date.now() + input.settleTimeoutMs,
        intervalMs: SETTLE_POLL_MS,
        details: () => ({ dropped }),
      });
      dropped = (await dropCollectionIfExists(gateway, input.target)) || dropped;
      return { dropped, jobState: state };
    },
  };
}
