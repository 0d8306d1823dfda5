import { ApplicationFailure } from '@temporalio/common';
import type { WorkerResources } from './worker-resources';
import type { CatalogEntry } from '../contracts/catalog';
import { FailureType } from '../contracts/failures';
import type { CollectionRef, MilvusGateway, SnapshotRef } from '../milvus/gateway';
import { chooseRecovery } from '../catalog/choose-recovery';
import { catalogOf, queryCatalog, sendCatalogChange } from './catalog';
import { type StartedRestore, startedSince, startRestoreJobOnce } from './restore/start-restore';

export interface CheckRecoveryInput extends CollectionRef {
  /** The cluster the recovery input names, if any: it must be the catalog entry's. */
  cluster?: string;
  /** The collection to recover into (the old name, or `as`). */
  target: string;
  /** A catalog entry by name; default the newest protected one. */
  snapshot?: string;
}

function stillExists(ref: CollectionRef, cluster: string, why: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Recovery refused: collection ${ref.db}.${ref.collection} exists on cluster ${cluster}; ${why} Nothing was started.`,
    FailureType.CollectionStillExists,
  );
}

/** The pinned snapshot's data is only on the storage of the cluster its backup ran on. */
function clusterMismatch(entry: CatalogEntry, named: string, entryCluster: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Recovery refused: cluster ${named} was named, but snapshot ${entry.snapshot} of ${entry.db}.${entry.collection} was backed up on cluster ${entryCluster}, whose storage alone holds its pinned data; recover on ${entryCluster} (or name no cluster). Nothing was started.`,
    FailureType.ClusterMismatch,
  );
}

/**
 * Before anything is started: the catalog must hold a snapshot whose protection pin still holds,
 * a named cluster must be the one its backup ran on, and there the collection must be gone (and
 * the target free). Refusals name the reason. The entry returned names the cluster (when its
 * backup or the input named one), so every later step of the recovery runs there.
 */
function createCheckRecoveryActivities(resources: WorkerResources) {
  const { clusters } = resources;
  return {
    async checkRecovery(input: CheckRecoveryInput): Promise<CatalogEntry> {
      const source: CollectionRef = { db: input.db, collection: input.collection };
      // The named cluster's catalog (none named: the default's; the client looks on other clusters).
      const catalog = await queryCatalog(
        catalogOf({ ...source, cluster: input.cluster }, clusters.defaultName),
      );
      const choice = chooseRecovery(catalog, Date.now(), input.snapshot);
      const entryCluster = (choice.ok ? choice.entry.cluster : undefined) ?? clusters.defaultName;
      if (choice.ok && input.cluster !== undefined && input.cluster !== entryCluster)
        throw clusterMismatch(choice.entry, input.cluster, entryCluster);
      if (!choice.ok && input.cluster !== undefined) {
        // Nothing to recover in the named cluster's catalog: one of another cluster means the wrong name.
        for (const other of clusters.names.filter((n) => n !== input.cluster)) {
          const there = catalogOf({ ...source, cluster: other }, clusters.defaultName);
          const elsewhere = chooseRecovery(await queryCatalog(there), Date.now(), input.snapshot);
          if (elsewhere.ok) throw clusterMismatch(elsewhere.entry, input.cluster, other);
        }
      }
      const cluster = input.cluster ?? entryCluster;
      const gateway = clusters.gateway(cluster);
      if (await gateway.hasCollection(source)) {
        throw stillExists(
          source,
          cluster,
          'recovery recreates a dropped collection only (to go back to one of its snapshots, restore it into a new collection).',
        );
      }
      const target: CollectionRef = { db: input.db, collection: input.target };
      if (input.target !== input.collection && (await gateway.hasCollection(target))) {
        throw stillExists(target, cluster, 'recover under another name.');
      }
      if (!choice.ok)
        throw ApplicationFailure.nonRetryable(`Recovery refused: ${choice.reason}.`, choice.type);
      // The default cluster stays unnamed, as in entries recorded before clusters had names.
      return input.cluster ? { ...choice.entry, cluster } : choice.entry;
    },
  };
}

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
function createStartExternalRestoreActivities(gateway: MilvusGateway, resources: WorkerResources) {
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

export interface ReleasePinInput extends SnapshotRef {
  /** The cluster the snapshot is on (the worker's default when absent): its catalog records the release. */
  cluster?: string;
  pinId: string;
}

/** Releases this worker's protection pin on a snapshot and records it (an unknown pin id succeeds). */
function createReleasePinActivities(gateway: MilvusGateway, defaultCluster: string) {
  return {
    async releaseCatalogPin(input: ReleasePinInput): Promise<void> {
      await gateway.unpinSnapshot(input.pinId);
      await sendCatalogChange(catalogOf(input, defaultCluster), {
        kind: 'unpinned',
        snapshot: input.snapshot,
        pinId: input.pinId,
      });
    },
  };
}

/** What recovering a dropped collection adds to a restore's wait, verification and compensation. */
export function createRecoverActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    ...createCheckRecoveryActivities(resources),
    ...createStartExternalRestoreActivities(gateway, resources),
    ...createReleasePinActivities(gateway, resources.clusters.defaultName),
  };
}
