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
  return withMilvusFailures({
    ...createCheckActivities(gateway),
    ...createDrillActivities(gateway),
    ...createBackupActivities(gateway),
    ...createRestoreActivities(gateway),
    ...createRetentionActivities(gateway),
  });
}

export type Activities = ReturnType<typeof createActivities>;
