import type { WorkerResources } from '../worker-resources';
import type { MilvusGateway } from '../../milvus/gateway';
import { startedSince, startRestoreJobOnce, type StartedRestore } from '../restore/start-restore';

export interface StartExternalRestoreInput {
  /** The catalog entry's metadata URI (DescribeSnapshot's s3_location), or an export bundle's. */
  metadataUri: string;
  /**
   * Storage profile whose external_spec reads the bundle (an export's); absent = the cluster's
   * own credentials. Only the name travels: the keys are looked up here, inside the worker.
   */
  profile?: string;
  targetDb: string;
  targetCollection: string;
  /** Jobs into the target started at or after this (the workflow's start, epoch ms) are this run's. */
  notBeforeMs: number;
}

/**
 * Starts RestoreExternalSnapshot exactly once per run, like a restore's start step
 * (startRestoreJobOnce), with an empty external_spec (the cluster's own storage credentials) or
 * the named profile's.
 */
export function createStartExternalRestoreActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    async startOrAdoptExternalRestore(input: StartExternalRestoreInput): Promise<StartedRestore> {
      return startRestoreJobOnce(gateway, () => {
        const profile = input.profile ? resources.profiles.get(input.profile) : undefined;
        return {
          target: { db: input.targetDb, collection: input.targetCollection },
          // An external job's snapshot name is not the catalog's: this run's job is the one started since.
          ours: (job) => startedSince(job, input.notBeforeMs),
          start: () =>
            gateway.restoreExternalSnapshot({
              metadataUri: input.metadataUri,
              ...(profile?.externalSpec ? { externalSpec: profile.externalSpec } : {}),
              targetDb: input.targetDb,
              targetCollection: input.targetCollection,
            }),
        };
      });
    },
  };
}
