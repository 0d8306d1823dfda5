import type { MilvusGateway } from '../milvus/gateway';

export interface MilvusCheckResult {
  healthy: boolean;
  version: string;
  db: string;
  collections: string[];
}

/** A cheap end-to-end probe: the worker reaches Milvus with its credentials and can list a db. */
export function createCheckMilvusActivities(gateway: MilvusGateway) {
  return {
    async checkMilvus(input: { db: string }): Promise<MilvusCheckResult> {
      const { healthy, version } = await gateway.checkHealth();
      const collections = await gateway.listCollections(input.db);
      return { healthy, version, db: input.db, collections };
    },
  };
}
