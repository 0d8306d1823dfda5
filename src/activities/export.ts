import { isMilvusError } from '../milvus/errors';
import type { ExportJobInfo, ExportState, MilvusGateway, SnapshotRef } from '../milvus/gateway';
import type { WorkerResources } from './worker-resources';
import {
  exportJobProgressSignal,
  type ExportJobStarted,
  exportJobStartedSignal,
  type ExportJobUpdate,
} from '../contracts/export';
import { heartbeat, previousHeartbeat, signalOwnWorkflow } from './heartbeat';
import { ApplicationFailure } from '@temporalio/common';
import { isRestoreJobFinished } from '../milvus/jobs';
import { FailureType } from '../contracts/failures';
import { type MilvusJobWaitInput, waitForMilvusJob } from './wait-for-milvus-job';

export interface StartExportInput extends SnapshotRef {
  /** The storage profile by name; its target path and keys are looked up here, in the worker. */
  profile: string;
  /** A job id the workflow already holds (signalled by an earlier attempt): adopted, never re-sent. */
  recordedJobId?: string;
}

export interface StartedExport {
  jobId: string;
  adopted: boolean;
  state: ExportState;
  progress: number;
  startTime: number;
}

function adopt(job: ExportJobInfo): StartedExport {
  return {
    jobId: job.jobId,
    adopted: true,
    state: job.state,
    progress: job.progress,
    startTime: job.startTime,
  };
}

/** The job an earlier attempt started; Milvus may have forgotten it (the wait reports that). */
async function adoptRecorded(gateway: MilvusGateway, recorded: ExportJobStarted): Promise<StartedExport> {
  try {
    return adopt(await gateway.getExportState(recorded.jobId));
  } catch (err) {
    if (!isMilvusError(err) || err.kind !== 'ExportJobNotFound') throw err;
    return {
      jobId: recorded.jobId,
      adopted: true,
      state: 'None',
      progress: 0,
      startTime: recorded.startTime,
    };
  }
}

/**
 * ExportSnapshot once per run: a job id recorded by an earlier attempt (heartbeat, or the
 * workflow's own record) is adopted; otherwise one call, whose job id is heartbeated and
 * signalled at once. Milvus lists no export jobs, so those two records are what prevent a second
 * export; only a crash between ExportSnapshot returning and the heartbeat could send another.
 */
function createStartExportActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    async startOrAdoptExportJob(input: StartExportInput): Promise<StartedExport> {
      const checkpoint: Partial<ExportJobStarted> = { ...previousHeartbeat<Partial<ExportJobStarted>>() };
      const recorded = checkpoint.jobId ?? input.recordedJobId;
      if (recorded) return adoptRecorded(gateway, { jobId: recorded, startTime: checkpoint.startTime ?? 0 });
      const profile = resources.profiles.get(input.profile);
      const startTime = Date.now();
      const { jobId } = await gateway.exportSnapshot({
        db: input.db,
        collection: input.collection,
        snapshot: input.snapshot,
        targetPath: profile.targetS3Path,
        ...(profile.externalSpec ? { externalSpec: profile.externalSpec } : {}),
      });
      Object.assign(checkpoint, { jobId, startTime });
      heartbeat(checkpoint);
      await signalOwnWorkflow(exportJobStartedSignal, { jobId, startTime });
      return { jobId, adopted: false, state: 'Pending', progress: 0, startTime };
    },
  };
}

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
function createWaitExportJobActivities(gateway: MilvusGateway) {
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

/** Everything the export workflow runs against Milvus. */
export function createExportActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    ...createStartExportActivities(gateway, resources),
    ...createWaitExportJobActivities(gateway),
  };
}
