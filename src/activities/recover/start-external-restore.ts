import { isMilvusError } from '../../milvus/errors';
import type { CollectionRef, MilvusGateway, RestoreJobInfo } from '../../milvus/gateway';
import { restoreJobStartedSignal, type RestoreJobStarted } from '../../contracts/restore';
import { heartbeat, previousHeartbeat } from '../heartbeat';
import { signalOwnWorkflow } from '../restore/signal-workflow';
import { adoptOrRefuse, adoptRecorded, startedSince, type StartedRestore } from '../restore/start-restore';

export interface StartExternalRestoreInput {
  /** The catalog entry's metadata URI (DescribeSnapshot's s3_location). */
  metadataUri: string;
  targetDb: string;
  targetCollection: string;
  /** Jobs into the target started at or after this (the workflow's start, epoch ms) are this run's. */
  notBeforeMs: number;
}

/**
 * Starts RestoreExternalSnapshot exactly once per run, like a restore's start step: a job id an
 * earlier attempt recorded (heartbeat) is adopted; a target that exists was created by this run's
 * job (adopted) or is refused; otherwise one call with an empty external_spec (the cluster's own
 * storage credentials), its job id recorded at once.
 */
export function createStartExternalRestoreActivities(gateway: MilvusGateway) {
  return {
    async startOrAdoptExternalRestore(input: StartExternalRestoreInput): Promise<StartedRestore> {
      const checkpoint: Partial<RestoreJobStarted> = { ...previousHeartbeat<Partial<RestoreJobStarted>>() };
      if (checkpoint.jobId) {
        return adoptRecorded(gateway, { jobId: checkpoint.jobId, startTime: checkpoint.startTime ?? 0 });
      }
      const target: CollectionRef = { db: input.targetDb, collection: input.targetCollection };
      // An external job's snapshot name is not the catalog's: this run's job is the one started since.
      const ours = (job: RestoreJobInfo) => startedSince(job, input.notBeforeMs);
      if (await gateway.hasCollection(target)) return adoptOrRefuse(gateway, target, ours);
      const startTime = Date.now();
      let jobId: string;
      try {
        ({ jobId } = await gateway.restoreExternalSnapshot({
          metadataUri: input.metadataUri,
          targetDb: input.targetDb,
          targetCollection: input.targetCollection,
        }));
      } catch (err) {
        if (isMilvusError(err) && err.kind === 'AlreadyExists') return adoptOrRefuse(gateway, target, ours);
        throw err;
      }
      Object.assign(checkpoint, { jobId, startTime });
      heartbeat(checkpoint);
      await signalOwnWorkflow(restoreJobStartedSignal, { jobId, startTime });
      return { jobId, adopted: false, state: 'Pending' as const, startTime };
    },
  };
}
