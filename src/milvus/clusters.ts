import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../contracts/failures';
import type { MilvusGateway } from './gateway';

/**
 * The worker's Milvus clusters by name, the default (an input that names none) first. Workflow
 * inputs carry only the name; the gateway, with its address and token, never leaves the worker.
 */
export interface Clusters {
  readonly names: readonly string[];
  readonly defaultName: string;
  /** The named cluster's gateway (the default one when no name is given); UnknownCluster otherwise. */
  gateway(name?: string): MilvusGateway;
  close(): Promise<void>;
}

/** Non-retryable: the worker's configuration decides, and another attempt reads the same one. */
export function unknownNameFailure(what: 'cluster' | 'profile', name: string, known: readonly string[]) {
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
