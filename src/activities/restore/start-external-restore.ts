import type { WorkerResources } from '..';
import type { MilvusGateway } from '../../milvus/gateway';
import { startedSince, startOrAdoptRestore, type StartedRestore } from './start-restore';

export interface StartExternalRestoreInput {
  /** The bundle's metadata URI (an export's snapshot_metadata_uri, or DescribeSnapshot's s3_location). */
  metadataUri: string;
  /** Storage profile whose external_spec reads the bundle; absent = the cluster's own credentials. */
  profile?: string;
  targetDb: string;
  targetCollection: string;
  /** Jobs into the target that started at or after this time (the workflow's start) are this run's. */
  notBeforeMs: number;
}

/**
 * RestoreExternalSnapshot into a new collection, with the same start-or-adopt rules as a restore
 * by name (startOrAdoptRestore). The profile's keys are looked up here, inside the worker: the
 * input, the result and the history carry only its name.
 */
export function createStartExternalRestoreActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    async startOrAdoptExternalRestoreJob(input: StartExternalRestoreInput): Promise<StartedRestore> {
      const externalSpec = input.profile ? resources.profiles.get(input.profile).externalSpec : undefined;
      const target = { db: input.targetDb, collection: input.targetCollection };
      return startOrAdoptRestore(gateway, {
        target,
        send: () =>
          gateway.restoreExternalSnapshot({
            metadataUri: input.metadataUri,
            ...(externalSpec ? { externalSpec } : {}),
            targetDb: target.db,
            targetCollection: target.collection,
          }),
        // The target did not exist when this run began (checked first), so any job into it that
        // started since is this run's: the job's snapshot name need not match the bundle's URI.
        isOurs: (job) => startedSince(job, input.notBeforeMs),
      });
    },
  };
}
