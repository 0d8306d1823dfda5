import type { WorkerResources } from '../worker-resources';
import type { MilvusGateway } from '../../milvus/gateway';
import { createCompareCollectionsActivities } from './compare-collections';
import { createDropScratchCollectionActivities } from './drop-scratch-collection';
import { createFindLatestSnapshotActivities } from './find-latest-snapshot';

/** The drill's own activities; backup and restore run as child workflows with theirs. */
export function createDrillActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    ...createFindLatestSnapshotActivities(gateway),
    ...createCompareCollectionsActivities(gateway, resources),
    ...createDropScratchCollectionActivities(gateway),
  };
}
