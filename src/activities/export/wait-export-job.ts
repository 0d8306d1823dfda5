import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { isMilvusError } from '../../milvus/errors';
import type { ExportJobInfo, ExportState, MilvusGateway } from '../../milvus/gateway';
import { isRestoreJobFinished } from '../../milvus/restore-job';
import { exportJobProgressSignal, type ExportJobUpdate } from '../../contracts/export';
import { FailureType } from '../../contracts/failures';
import { signalOwnWorkflow } from '../restore/signal-workflow';
import { waitForJob } from '../wait-for-job';

export interface WaitExportJobInput {
  jobId: string;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  known?: { state: ExportState; progress: number };
}

function signalWorkflow(job: ExportJobInfo): Promise<boolean> {
  const update: ExportJobUpdate = {
    jobId: job.jobId,
    state: job.state,
    progress: job.progress,
    totalFiles: job.totalFiles,
    copiedFiles: job.copiedFiles,
    observedAt: Date.now(),
  };
  return signalOwnWorkflow(exportJobProgressSignal, update);
}

/**
 * Milvus forgets an export job 3 h after it ends (snapshot_export_manager.go), answering 1100
 * "snapshot export job N not found". Its bundle URI is then unknowable: a clear, non-retryable
 * failure (a new run exports again).
 */
function forgotten(jobId: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({
    message: `export job ${jobId} is no longer known to Milvus (it forgets a job 3 h after it ends), so its bundle cannot be confirmed; nothing was recorded. Run the export again. (${message})`,
    type: FailureType.ExportJobForgotten,
    nonRetryable: true,
  });
}

/** Transient Milvus trouble is waited out; the workflow's timeout bounds it. */
async function pollJob(gateway: MilvusGateway, jobId: string): Promise<ExportJobInfo | undefined> {
  try {
    return await gateway.getExportState(jobId);
  } catch (err) {
    if (isMilvusError(err) && err.kind === 'ExportJobNotFound') throw forgotten(jobId, err.message);
    if (isMilvusError(err) && err.retryable) {
      log.warn('export state poll failed, will poll again', { jobId, error: err.message });
      return undefined;
    }
    throw err;
  }
}

/** The durable wait on an export job, as on a restore job (wait-for-job.ts). */
export function createWaitExportJobActivities(gateway: MilvusGateway) {
  return {
    async waitForExportJob(input: WaitExportJobInput): Promise<ExportJobInfo> {
      return waitForJob<ExportJobInfo>({
        poll: () => pollJob(gateway, input.jobId),
        // Export jobs share the restore jobs' states (milvus-proto ExportSnapshotState).
        finished: (job) => isRestoreJobFinished(job.state),
        signal: signalWorkflow,
        pollIntervalMs: input.pollIntervalMs,
        maxPollIntervalMs: input.maxPollIntervalMs,
        known: input.known,
      });
    },
  };
}
