import type { CatalogChange } from '../../contracts/catalog';
import { entriesOfCluster } from '../../catalog/entries-of-cluster';
import type { CollectionRef } from '../../milvus/gateway';
import { closeCollectionCatalog, queryCatalog, sendCatalogChange } from './catalog-client';

export interface RecordCatalogChangeInput extends CollectionRef {
  change: CatalogChange;
}

/** Records into, reads and closes the catalog of a collection (a workflow per collection, see catalog.ts). */
export function createRecordCatalogChangeActivities(defaultCluster: string) {
  return {
    async recordCatalogChange(input: RecordCatalogChangeInput): Promise<void> {
      await sendCatalogChange({ db: input.db, collection: input.collection }, input.change);
    },
    /**
     * Marks snapshots retention dropped, for those the catalog holds on the cluster retention ran on
     * (a collection this worker never backed up gets no catalog from it).
     */
    async recordDroppedSnapshots(
      input: CollectionRef & { cluster?: string; snapshots: string[]; at: number },
    ): Promise<number> {
      const ref = { db: input.db, collection: input.collection };
      const entries = entriesOfCluster((await queryCatalog(ref)).entries, input.cluster, defaultCluster);
      const known = new Set(entries.map((e) => e.snapshot));
      const recorded = input.snapshots.filter((s) => known.has(s));
      for (const snapshot of recorded)
        await sendCatalogChange(ref, { kind: 'dropped', snapshot, at: input.at });
      return recorded.length;
    },
    async readCatalog(ref: CollectionRef) {
      return queryCatalog({ db: ref.db, collection: ref.collection });
    },
    /** Ends the catalog once it records nothing still needed (a drill's scratch catalog, at cleanup). */
    async closeCatalog(ref: CollectionRef) {
      return closeCollectionCatalog({ db: ref.db, collection: ref.collection });
    },
  };
}
