import type { MilvusGateway } from '../../milvus/gateway';
import { createListFleetCollectionsActivities } from './list-fleet-collections';
import { createNewestCatalogSnapshotActivities } from './newest-catalog-snapshot';

/** Every activity the fleet workflow uses itself (its children use their operations' own). */
export function createFleetActivities(gateway: MilvusGateway) {
  return {
    ...createListFleetCollectionsActivities(gateway),
    ...createNewestCatalogSnapshotActivities(),
  };
}
