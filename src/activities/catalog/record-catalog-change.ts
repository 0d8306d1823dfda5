import type { CatalogChange } from '../../contracts/catalog';
import type { CollectionRef } from '../../milvus/gateway';
import { queryCatalog, sendCatalogChange } from './catalog-client';

export interface RecordCatalogChangeInput extends CollectionRef {
  change: CatalogChange;
}

/** Records into, and reads, the catalog of a collection (a workflow per collection, see catalog.ts). */
export function createRecordCatalogChangeActivities() {
  return {
    async recordCatalogChange(input: RecordCatalogChangeInput): Promise<void> {
      await sendCatalogChange({ db: input.db, collection: input.collection }, input.change);
    },
    async readCatalog(ref: CollectionRef) {
      return queryCatalog({ db: ref.db, collection: ref.collection });
    },
  };
}
