import type { Clusters } from '../milvus/clusters';
import type { AsyncFn } from './wrap-activities';

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
