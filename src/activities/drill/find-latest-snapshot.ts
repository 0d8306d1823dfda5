import { ApplicationFailure } from '@temporalio/common';
import type { CollectionRef, MilvusGateway, SnapshotInfo } from '../../milvus/gateway';
import { parseSnapshotMarker } from '../../contracts/snapshot-marker';
import { FailureType } from '../../contracts/failures';
import { newestFirst } from '../../policy/plan-retention';

export interface LatestSnapshot {
  snapshot: string;
  /** Epoch milliseconds. */
  createTs: number;
  /** Rows the snapshot was taken with, from its marker. */
  rowCount: number;
  flushed: boolean;
  /** Snapshots of the collection looked at, and how many of them qualified. */
  considered: number;
  qualified: number;
}

/**
 * A snapshot qualifies when this project's backup made it and recorded its row count in the
 * marker: only then can the drill check the restored row count against what the snapshot holds.
 */
function qualifies(info: SnapshotInfo): boolean {
  const marker = parseSnapshotMarker(info.description);
  return marker?.rows !== undefined && marker.flushed !== false;
}

export function createFindLatestSnapshotActivities(gateway: MilvusGateway) {
  return {
    async findLatestVerifiedSnapshot(ref: CollectionRef): Promise<LatestSnapshot> {
      const names = await gateway.listSnapshots(ref);
      const infos = await Promise.all(
        names.map((snapshot) => gateway.describeSnapshot({ ...ref, snapshot })),
      );
      const candidates = infos.filter(qualifies).sort(newestFirst);
      const newest = candidates[0];
      if (!newest) {
        throw ApplicationFailure.nonRetryable(
          `no snapshot of ${ref.db}.${ref.collection} made by a verified backup (${names.length} snapshots looked at)`,
          FailureType.NoVerifiedSnapshot,
        );
      }
      const marker = parseSnapshotMarker(newest.description);
      return {
        snapshot: newest.name,
        createTs: newest.createTs,
        rowCount: marker?.rows ?? 0,
        flushed: marker?.flushed ?? false,
        considered: names.length,
        qualified: candidates.length,
      };
    },
  };
}
