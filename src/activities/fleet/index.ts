import type { MilvusGateway } from '../../milvus/gateway';
import { createListFleetCollectionsActivities } from './list-fleet-collections';

/** Every activity the fleet workflow uses itself (its children use their operations' own). */
export function createFleetActivities(gateway: MilvusGateway) {
  return {
    ...createListFleetCollectionsActivities(gateway),
  };
}
