import type { MilvusGateway } from '../../milvus/gateway';
import { createDescribeRestoreSnapshotActivities, createStartRestoreActivities } from './start-restore';
import { createDropRestoredCollectionActivities } from './drop-restored-collection';
import { createVerifyRestoredCollectionActivities } from './verify-restored-collection';
import { createWaitRestoreJobActivities } from './wait-restore-job';

/** Everything the restore workflow runs against Milvus. */
export function createRestoreActivities(gateway: MilvusGateway) {
  return {
    ...createDescribeRestoreSnapshotActivities(gateway),
    ...createStartRestoreActivities(gateway),
    ...createWaitRestoreJobActivities(gateway),
    ...createVerifyRestoredCollectionActivities(gateway),
    ...createDropRestoredCollectionActivities(gateway),
  };
}
