import type { MilvusGateway } from '../milvus/gateway';
import { createBackupActivities } from './backup';
import { createCatalogActivities } from './catalog';
import { createCheckMilvusActivities } from './check-milvus';
import { createDrillActivities } from './drill';
import { createFleetActivities } from './fleet';
import { withKeepAlive } from './heartbeat';
import { withMilvusFailures } from './milvus-failure';
import { createRecoverActivities } from './recover';
import { createRestoreActivities } from './restore';
import { createRetentionActivities } from './retention';

/** One factory per operation (its folder's index.ts); a new operation adds one line here. */
const FACTORIES = [
  createCheckMilvusActivities,
  createDrillActivities,
  createBackupActivities,
  createRestoreActivities,
  createRetentionActivities,
  createCatalogActivities,
  createRecoverActivities,
  createFleetActivities,
] as const;

type Factory = (typeof FACTORIES)[number];
type Merged<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;
type AllActivities = Merged<ReturnType<Factory>>;

/** All activities, bound to one Milvus gateway (real Milvus or the stand-in), heartbeating while they run. */
export function createActivities(gateway: MilvusGateway) {
  const all: Record<string, unknown> = {};
  const duplicates: string[] = [];
  for (const factory of FACTORIES) {
    for (const [name, fn] of Object.entries(factory(gateway))) {
      if (name in all) duplicates.push(name); // would silently shadow another factory's activity
      all[name] = fn;
    }
  }
  if (duplicates.length) throw new Error(`activity names defined twice: ${duplicates.join(', ')}`);
  return withMilvusFailures(withKeepAlive(all as AllActivities));
}

export type Activities = ReturnType<typeof createActivities>;
