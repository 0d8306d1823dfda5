import { isMilvusError } from '../../milvus/errors';
import type { MilvusGateway, SnapshotRef } from '../../milvus/gateway';
import { isMadeByRun, parseSnapshotMarker } from '../../contracts/snapshot-marker';
import type { RunIdentity } from '../../contracts/snapshot-marker';

export interface DropSnapshotResult {
  dropped: boolean;
  /** Why nothing was dropped, when nothing was. */
  reason?: 'not-found' | 'not-made-by-run';
}

/**
 * Dropping snapshots, idempotently: a snapshot already gone counts as dropped by someone, so a
 * retried compensation never fails on its own earlier success.
 */
export function createDropSnapshotActivities(gateway: MilvusGateway) {
  async function drop(ref: SnapshotRef): Promise<DropSnapshotResult> {
    try {
      await gateway.dropSnapshot(ref);
      return { dropped: true };
    } catch (err) {
      if (isMilvusError(err) && err.kind === 'SnapshotNotFound')
        return { dropped: false, reason: 'not-found' };
      throw err;
    }
  }

  return {
    async dropSnapshot(input: SnapshotRef): Promise<DropSnapshotResult> {
      return drop({ db: input.db, collection: input.collection, snapshot: input.snapshot });
    },

    /**
     * The backup's compensation: drops the snapshot only when its marker names this run, so a
     * failed or cancelled run never removes a snapshot someone else made under the same name
     * (and a create that may or may not have happened is cleaned up either way).
     */
    async dropSnapshotIfMadeByRun(input: SnapshotRef & { run: RunIdentity }): Promise<DropSnapshotResult> {
      const ref = { db: input.db, collection: input.collection, snapshot: input.snapshot };
      let description: string;
      try {
        description = (await gateway.describeSnapshot(ref)).description;
      } catch (err) {
        if (isMilvusError(err) && err.kind === 'SnapshotNotFound')
          return { dropped: false, reason: 'not-found' };
        throw err;
      }
      if (!isMadeByRun(parseSnapshotMarker(description), input.run))
        return { dropped: false, reason: 'not-made-by-run' };
      return drop(ref);
    },
  };
}
