import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../contracts/failures';
import type { ExternalSpec, MilvusGateway } from '../milvus/gateway';
import type { AsyncFn } from './wrap-activities';

/**
 * What activities reach inside the worker: its Milvus clusters and storage profiles, by name.
 * Workflow inputs carry only names; a gateway (address, token) or a profile's credentials never
 * leave the worker.
 */
export interface WorkerResources {
  clusters: Clusters;
  profiles: StorageProfiles;
}

/** The worker's Milvus clusters by name, the default (an input that names none) first. */
export interface Clusters {
  readonly names: readonly string[];
  readonly defaultName: string;
  /** The named cluster's gateway (the default one when no name is given); UnknownCluster otherwise. */
  gateway(name?: string): MilvusGateway;
  close(): Promise<void>;
}

/** Where exports go and with which credentials, resolved inside the worker from a profile's name. */
export interface StorageProfile {
  name: string;
  /** Root of the export bundles (Milvus's `target_s3_path`). */
  targetS3Path: string;
  /** Milvus's `external_spec`; absent = the cluster's own storage credentials. Secret: never returned or logged. */
  externalSpec?: ExternalSpec;
}

export interface StorageProfiles {
  readonly names: readonly string[];
  /** UnknownProfile (non-retryable) when the worker has no profile of that name. */
  get(name: string): StorageProfile;
}

/** Non-retryable: the worker's configuration decides, and another attempt reads the same one. */
function unknownNameFailure(what: 'cluster' | 'profile', name: string, known: readonly string[]) {
  const type = what === 'cluster' ? FailureType.UnknownCluster : FailureType.UnknownProfile;
  const configured = known.length ? known.join(', ') : 'none';
  return ApplicationFailure.create({
    message: `unknown ${what} "${name}": this worker's configured ${what}s are ${configured}`,
    type,
    nonRetryable: true,
  });
}

/** Builds the registry over gateways in order; the first is the default. */
export function clustersOf(entries: readonly (readonly [string, MilvusGateway])[]): Clusters {
  if (entries.length === 0) throw new Error('at least one Milvus cluster is needed');
  const byName = new Map(entries);
  const names = entries.map(([name]) => name);
  return {
    names,
    defaultName: names[0],
    gateway(name) {
      const gateway = byName.get(name ?? names[0]);
      if (!gateway) throw unknownNameFailure('cluster', name ?? '', names);
      return gateway;
    },
    async close() {
      await Promise.all(entries.map(([, gateway]) => gateway.close()));
    },
  };
}

export function storageProfilesOf(profiles: readonly StorageProfile[]): StorageProfiles {
  const byName = new Map(profiles.map((p) => [p.name, p]));
  const names = profiles.map((p) => p.name);
  return {
    names,
    get(name) {
      const profile = byName.get(name);
      if (!profile) throw unknownNameFailure('profile', name, names);
      return profile;
    },
  };
}

/** A single gateway is a worker with one cluster (named as the default) and no storage profiles. */
export function singleClusterResources(gateway: MilvusGateway): WorkerResources {
  return { clusters: clustersOf([['primary', gateway]]), profiles: storageProfilesOf([]) };
}

/** The cluster an activity's input names: `{ cluster: 'dr', … }`, else undefined (the default). */
function clusterOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || !('cluster' in input)) return undefined;
  const { cluster } = input as { cluster?: unknown };
  return typeof cluster === 'string' ? cluster : undefined;
}

/**
 * One record of activities whose every call runs the named cluster's instance; an unknown name is
 * refused (UnknownCluster, non-retryable) before anything reaches Milvus.
 */
export function onClusterOfInput(
  perCluster: ReadonlyMap<string, Record<string, unknown>>,
  clusters: Clusters,
): Record<string, AsyncFn> {
  const names = Object.keys(perCluster.get(clusters.defaultName) ?? {});
  const routed: Record<string, AsyncFn> = {};
  for (const name of names) {
    routed[name] = async (...args: never[]) => {
      const cluster = clusterOf(args[0]);
      clusters.gateway(cluster); // throws UnknownCluster for a name the worker does not have
      const activities = perCluster.get(cluster ?? clusters.defaultName) as Record<string, AsyncFn>;
      return activities[name](...args);
    };
  }
  return routed;
}
