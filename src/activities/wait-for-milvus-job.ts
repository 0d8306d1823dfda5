import { log } from '@temporalio/activity';
import { isMilvusError } from '../milvus/errors';
import type { RestoreState } from '../milvus/gateway';
import { waitForJob, type JobStatus } from './wait-for-job';

/** What a wait activity on a restore or export job is given. */
export interface MilvusJobWaitInput {
  jobId: string;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** A progress signal goes to the workflow each time progress crosses a multiple of this. */
  progressStepPercent?: number;
  /** What the workflow already knows (from starting or adopting the job): not signalled again. */
  known?: { state: RestoreState; progress: number };
}

export interface MilvusJobWait<J extends JobStatus> {
  /** 'restore' or 'export', for the log line of a failed poll. */
  kind: string;
  input: MilvusJobWaitInput;
  /** Milvus's Get…State of the job. */
  getState: () => Promise<J>;
  /** A poll's error that is not transient: the job to stop with, or throw. */
  onError: (err: unknown) => Promise<J>;
  finished: (job: J) => boolean;
  signal: (job: J) => Promise<boolean>;
}

/**
 * The durable wait (wait-for-job.ts) on a Milvus restore or export job. Transient Milvus trouble
 * during a poll is waited out (polled again later); the workflow's overall timeout bounds it.
 */
export function waitForMilvusJob<J extends JobStatus>(wait: MilvusJobWait<J>): Promise<J> {
  const { input } = wait;
  return waitForJob<J>({
    async poll() {
      try {
        return await wait.getState();
      } catch (err) {
        if (isMilvusError(err) && err.retryable) {
          log.warn(`${wait.kind} state poll failed, will poll again`, {
            jobId: input.jobId,
            error: err.message,
          });
          return undefined;
        }
        return wait.onError(err);
      }
    },
    finished: wait.finished,
    signal: wait.signal,
    pollIntervalMs: input.pollIntervalMs,
    maxPollIntervalMs: input.maxPollIntervalMs,
    progressStepPercent: input.progressStepPercent,
    known: input.known,
  });
}
