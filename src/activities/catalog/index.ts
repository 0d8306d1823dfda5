import type { WorkerResources } from '../worker-resources';
import type { MilvusGateway } from '../../milvus/gateway';
import { createProtectSnapshotsActivities } from './protect-snapshots';
import { createRecordCatalogChangeActivities } from './record-catalog-change';

/** The catalog: recording into it, reading it, and the protection pins it tracks. */
export function createCatalogActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    ...createRecordCatalogChangeActivities(resources.clusters.defaultName),
    ...createProtectSnapshotsActivities(gateway, resources.clusters.defaultName),
  };
}
