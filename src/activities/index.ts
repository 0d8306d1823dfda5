import type { MilvusGateway } from '../milvus/gateway';
import { createBackupActivities } from './backup';
import { createCatalogActivities } from './catalog';
import { createCheckMilvusActivities } from './check-milvus';
import { createDrillActivities } from './drill';
import { createFleetActivities } from './fleet';
import { createExportActivities } from './export';
import { withKeepAlive } from './heartbeat';
import { withMilvusFailures } from './wrap-activities';
import { createRecoverActivities } from './recover';
import { createRestoreActivities } from './restore';
import { createRetentionActivities } from './retention';
import { onClusterOfInput, singleClusterResources, type WorkerResources } from './worker-resources';

/**
 * One factory per operation (its folder's index.ts); a new operation adds one line here. Each is
 * built once per cluster; `resources` serves the few that reach another cluster or a profile.
 */
const FACTORIES = [
  createCheckMilvusActivities,
  createDrillActivities,
  createBackupActivities,
  createRestoreActivities,
  createRetentionActivities,
  createCatalogActivities,
  createRecoverActivities,
  createFleetActivities,
  createExportActivities,
] as const;

type Factory = (typeof FACTORIES)[number];
/** Every factory takes the cluster's gateway; those that need more declare the second parameter. */
type AnyFactory = (gateway: MilvusGateway, resources: WorkerResources) => Record<string, unknown>;
type Merged<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;
type AllActivities = Merged<ReturnType<Factory>>;

function buildFor(gateway: MilvusGateway, resources: WorkerResources): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  const duplicates: string[] = [];
  for (const factory of FACTORIES as readonly AnyFactory[]) {
    for (const [name, fn] of Object.entries(factory(gateway, resources))) {
      if (name in all) duplicates.push(name); // would silently shadow another factory's activity
      all[name] = fn;
    }
  }
  if (duplicates.length) throw new Error(`activity names defined twice: ${duplicates.join(', ')}`);
  return all;
}

function asResources(target: MilvusGateway | WorkerResources): WorkerResources {
  return 'clusters' in target ? target : singleClusterResources(target);
}

/**
 * All activities, heartbeating while they run. Each call runs against the cluster its input names
 * (`input.cluster`, else the default), so one worker serves several clusters.
 */
export function createActivities(target: MilvusGateway | WorkerResources) {
  const resources = asResources(target);
  const perCluster = new Map(
    resources.clusters.names.map((name) => [name, buildFor(resources.clusters.gateway(name), resources)]),
  );
  const routed = onClusterOfInput(perCluster, resources.clusters) as AllActivities;
  return withMilvusFailures(withKeepAlive(routed));
}

export type Activities = ReturnType<typeof createActivities>;
