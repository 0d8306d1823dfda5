import type { MilvusGateway } from '../../milvus/gateway';
import { createDescribeRestoreSnapshotActivity } from './describe-restore-snapshot';
import { createDropRestoredCollectionActivity } from './drop-restored-collection';
import { createStartRestoreActivity } from './start-restore';
import { createVerifyRestoredCollectionActivity } from './verify-restored-collection';
import { createWaitRestoreJobActivity } from './wait-restore-job';

/** Everything the restore workflow runs against Milvus. */
export function createRestoreActivities(gateway: MilvusGateway) {
  return {
    ...createDescribeRestoreSnapshotActivity(gateway),
    ...createStartRestoreActivity(gateway),
    ...createWaitRestoreJobActivity(gateway),
    ...createVerifyRestoredCollectionActivity(gateway),
    ...createDropRestoredCollectionActivity(gateway),
  };
}
