import type { MilvusGateway } from '../milvus/gateway';
import { createBackupActivities } from './backup';
import { createCheckActivities } from './check-milvus';
import { createDrillActivities } from './drill';
import { withMilvusFailures } from './milvus-failure';
import { createRestoreActivities } from './restore';
import { createRetentionActivities } from './retention';

/**
 * All activities, bound to one Milvus gateway (real Milvus or the stand-in). Each concept's
 * factory adds its activities here, one line each.
 */
export function createActivities(gateway: MilvusGateway) {
  const parts = [
    createCheckActivities(gateway),
    createDrillActivities(gateway),
    createBackupActivities(gateway),
    createRestoreActivities(gateway),
    createRetentionActivities(gateway),
  ] as const;
  // Two factories exporting the same name would silently shadow one another.
  const names = parts.flatMap((part) => Object.keys(part));
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  if (duplicates.length) throw new Error(`activity names defined twice: ${duplicates.join(', ')}`);
  return withMilvusFailures({ ...parts[0], ...parts[1], ...parts[2], ...parts[3], ...parts[4] });
}

export type Activities = ReturnType<typeof createActivities>;
