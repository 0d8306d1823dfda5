import { newestLiveEntry, type ExportCandidate } from '../../catalog/newest-live-entry';
import type { CollectionRef } from '../../milvus/gateway';
import { queryCatalog } from '../catalog/catalog-client';

export function createNewestCatalogSnapshotActivities() {
  return {
    /** An export fleet's snapshot of one collection: only its name reaches the fleet's history, not the catalog. */
    async newestCatalogSnapshot(ref: CollectionRef & { cluster?: string }): Promise<ExportCandidate> {
      return newestLiveEntry(await queryCatalog({ db: ref.db, collection: ref.collection }));
    },
  };
}
