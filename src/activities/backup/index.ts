import type { MilvusGateway } from '../../milvus/gateway';
import { createCountCollectionRowsActivities, createCountSnapshotRowsActivities } from './count-rows';
import { createCreateSnapshotActivities } from './create-snapshot';
import { createDropSnapshotActivities } from './drop-snapshot';
import { createFlushCollectionActivities } from './flush-collection';
import { createVerifySnapshotActivities } from './verify-snapshot';

/** Every activity the backup workflow uses (the drop ones are shared with restore and drill). */
export function createBackupActivities(gateway: MilvusGateway) {
  return {
    ...createFlushCollectionActivities(gateway),
    ...createCountCollectionRowsActivities(gateway),
    ...createCreateSnapshotActivities(gateway),
    ...createVerifySnapshotActivities(gateway),
    ...createCountSnapshotRowsActivities(gateway),
    ...createDropSnapshotActivities(gateway),
  };
}
