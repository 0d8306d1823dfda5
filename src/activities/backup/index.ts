import type { MilvusGateway } from '../../milvus/gateway';
import { createCountSnapshotRowsActivities } from './count-snapshot-rows';
import { createSnapshotActivities } from './create-snapshot';
import { createDropSnapshotActivities } from './drop-snapshot';
import { createFlushActivities } from './flush-collection';
import { createVerifySnapshotActivities } from './verify-snapshot';

/** Every activity the backup workflow uses (the drop ones are shared with restore and drill). */
export function createBackupActivities(gateway: MilvusGateway) {
  return {
    ...createFlushActivities(gateway),
    ...createSnapshotActivities(gateway),
    ...createVerifySnapshotActivities(gateway),
    ...createCountSnapshotRowsActivities(gateway),
    ...createDropSnapshotActivities(gateway),
  };
}
