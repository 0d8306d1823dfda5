import type { WorkerResources } from '..';
import type { MilvusGateway } from '../../milvus/gateway';
import { createDescribeRestoreSnapshotActivities } from './describe-restore-snapshot';
import { createDropRestoredCollectionActivities } from './drop-restored-collection';
import { createStartExternalRestoreActivities } from './start-external-restore';
import { createStartRestoreActivities } from './start-restore';
import { createVerifyRestoredCollectionActivities } from './verify-restored-collection';
import { createWaitRestoreJobActivities } from './wait-restore-job';

/** Everything the restore workflows (by snapshot name, or from a bundle) run against Milvus. */
export function createRestoreActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    ...createDescribeRestoreSnapshotActivities(gateway),
    ...createStartRestoreActivities(gateway),
    ...createStartExternalRestoreActivities(gateway, resources),
    ...createWaitRestoreJobActivities(gateway),
    ...createVerifyRestoredCollectionActivities(gateway),
    ...createDropRestoredCollectionActivities(gateway),
  };
}
