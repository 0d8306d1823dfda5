import type { MilvusGateway, SnapshotInfo, SnapshotRef } from '../../milvus/gateway';
import { parseSnapshotMarker } from '../../contracts/snapshot-marker';

export interface RestoreSnapshotDescription {
  info: SnapshotInfo;
  /** Rows the snapshot holds, as the backup workflow recorded them in the description, if it did. */
  markerRows?: number;
}

/** Step 1 of a restore: the snapshot must exist (SnapshotNotFound is non-retryable). */
export function createDescribeRestoreSnapshotActivities(gateway: MilvusGateway) {
  return {
    async describeRestoreSnapshot(ref: SnapshotRef): Promise<RestoreSnapshotDescription> {
      const info = await gateway.describeSnapshot(ref);
      return { info, markerRows: parseSnapshotMarker(info.description)?.rows };
    },
  };
}
