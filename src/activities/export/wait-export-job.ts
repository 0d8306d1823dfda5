import { ApplicationFailure } from '@temporalio/common';
import { isMilvusError } from '../../milvus/errors';
import type { ExportJobInfo, MilvusGateway } from '../../milvus/gateway';
import { isRestoreJobFinished } from '../../milvus/restore-job';
import { exportJobProgressSignal, type ExportJobUpdate } from '../../contracts/export';
import { FailureType } from '../../contracts/failures';
import { signalOwnWorkflow } from '../restore/signal-workflow';
import { waitForMilvusJob, type MilvusJobWaitInput } from '../wait-for-milvus-job';

export type WaitExportJobInput = MilvusJobWaitInput;

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

/** The durable wait on an export job, as on a restore job (wait-for-milvus-job.ts). */
export function createWaitExportJobActivities(gateway: MilvusGateway) {
  return {
    async waitForExportJob(input: WaitExportJobInput): Promise<ExportJobInfo> {
      return waitForMilvusJob<ExportJobInfo>({
        kind: 'export',
        input,
        getState: () => gateway.getExportState(input.jobId),
        async onError(err) {
          if (isMilvusError(err) && err.kind === 'ExportJobNotFound') {
            throw forgotten(input.jobId, err.message);
          }
          throw err;
        },
        // Export jobs share the restore jobs' states (milvus-proto ExportSnapshotState).
        finished: (job) => isRestoreJobFinished(job.state),
        signal: signalWorkflow,
      });
    },
  };
}
