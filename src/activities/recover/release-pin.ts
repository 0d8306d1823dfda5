import type { SnapshotRef, MilvusGateway } from '../../milvus/gateway';
import { sendCatalogChange } from '../catalog/catalog-client';

export interface ReleasePinInput extends SnapshotRef {
  pinId: string;
}

/** Releases this worker's protection pin on a snapshot and records it (an unknown pin id succeeds). */
export function createReleasePinActivities(gateway: MilvusGateway) {
  return {
    async releaseCatalogPin(input: ReleasePinInput): Promise<void> {
      await gateway.unpinSnapshot(input.pinId);
      await sendCatalogChange(
        { db: input.db, collection: input.collection },
        { kind: 'unpinned', snapshot: input.snapshot, pinId: input.pinId },
      );
    },
  };
}
