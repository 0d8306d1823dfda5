import type { WorkerResources } from '../worker-resources';
import type { MilvusGateway } from '../../milvus/gateway';
import { createStartExportActivities } from './start-export';
import { createWaitExportJobActivities } from './wait-export-job';

/** Everything the export workflow runs against Milvus. */
export function createExportActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    ...createStartExportActivities(gateway, resources),
    ...createWaitExportJobActivities(gateway),
  };
}
