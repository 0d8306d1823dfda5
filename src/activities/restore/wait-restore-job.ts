import { log } from '@temporalio/activity';
import { isMilvusError } from '../../milvus/errors';
import type { CollectionRef, MilvusGateway, RestoreJobInfo } from '../../milvus/gateway';
import { isRestoreJobFinished } from '../../milvus/jobs';
import { waitForMilvusJob, type MilvusJobWaitInput } from '../wait-for-milvus-job';
import { signalOwnWorkflow } from '../heartbeat';
import { restoreJobProgressSignal, type RestoreJobUpdate } from '../../contracts/restore';

export interface WaitRestoreJobInput extends MilvusJobWaitInput {
  /**
   * The job's target. Milvus forgets a job 3 h after it ends; the outcome is then read from the
   * target (see WaitedRestoreJob). Runs of older workflow code do not pass it: 2101 fails those.
   */
  target?: CollectionRef;
}

/** Best effort: a lost update only makes the query staler; the next change sends another. */
function signalWorkflow(job: RestoreJobInfo): Promise<boolean> {
  const update: RestoreJobUpdate = {
    jobId: job.jobId,
    state: job.state,
    progress: job.progress,
    reason: job.reason,
    timeCostMs: job.timeCostMs,
    observedAt: Date.now(),
  };
  return signalOwnWorkflow(restoreJobProgressSignal, update);
}

/** The job's final state, or, when Milvus had forgotten it, whether its target exists. */
export interface WaitedRestoreJob extends RestoreJobInfo {
  /** Milvus answered 2101 (restore job not found): state is 'None' and the reason is Milvus's message. */
  forgotten?: { targetExists: boolean };
}

/**
 * snapshot_manager.go GetRestoreState answers 2101 once a finished job is gone
 * (copySegmentTaskRetention, 3 h after it ended): a worker or Temporal down longer never saw
 * the end. RestoreSnapshot creates the target inside the call and a failed job keeps it, so an
 * existing target means "go on to verification" (which proves the rows), a missing one that
 * nothing is left to verify.
 */
async function forgottenJob(
  gateway: MilvusGateway,
  input: WaitRestoreJobInput,
  target: CollectionRef,
  message: string,
): Promise<WaitedRestoreJob> {
  const targetExists = await gateway.hasCollection(target);
  log.warn('restore job forgotten by Milvus; deciding from its target', { jobId: input.jobId, targetExists });
  return {
    jobId: input.jobId,
    snapshot: '',
    ...target,
    state: 'None',
    progress: input.known?.progress ?? 0,
    reason: message,
    startTime: 0,
    timeCostMs: 0,
    forgotten: { targetExists },
  };
}

/**
 * Step 4 of a restore: one long, heartbeating activity polls the job until Completed or Failed.
 * History grows by a bounded number of events whatever the restore's length: the activity itself
 * (3) plus one signal per state change or 10% progress step (at most 10: Executing, 10%…90%).
 */
export function createWaitRestoreJobActivities(gateway: MilvusGateway) {
  return {
    async waitForRestoreJob(input: WaitRestoreJobInput): Promise<WaitedRestoreJob> {
      return waitForMilvusJob<WaitedRestoreJob>({
        kind: 'restore',
        input,
        getState: () => gateway.getRestoreState(input.jobId),
        async onError(err) {
          if (!input.target || !isMilvusError(err) || err.kind !== 'RestoreJobNotFound') throw err;
          return forgottenJob(gateway, input, input.target, err.message);
        },
        finished: (job) => Boolean(job.forgotten) || isRestoreJobFinished(job.state),
        signal: signalWorkflow,
      });
    },
  };
}
