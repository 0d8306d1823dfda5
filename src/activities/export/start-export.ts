import { isMilvusError } from '../../milvus/errors';
import type { ExportJobInfo, ExportState, MilvusGateway, SnapshotRef } from '../../milvus/gateway';
import type { WorkerResources } from '../worker-resources';
import { exportJobStartedSignal, type ExportJobStarted } from '../../contracts/export';
import { heartbeat, previousHeartbeat } from '../heartbeat';
import { signalOwnWorkflow } from '../restore/signal-workflow';

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
export function createStartExportActivities(gateway: MilvusGateway, resources: WorkerResources) {
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
