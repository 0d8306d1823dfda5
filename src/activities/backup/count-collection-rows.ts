import type { CollectionRef, MilvusGateway } from '../../milvus/gateway';

export function createCountCollectionRowsActivities(gateway: MilvusGateway) {
  return {
    /** Rows Milvus reports for the collection (statistics: no load, cheap on a production collection). */
    async countCollectionRows(ref: CollectionRef): Promise<{ rows: number }> {
      return { rows: await gateway.statisticsRowCount({ db: ref.db, collection: ref.collection }) };
    },
  };
}
