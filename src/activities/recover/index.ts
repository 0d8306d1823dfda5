import type { WorkerResources } from '../worker-resources';
import type { MilvusGateway } from '../../milvus/gateway';
import { createCheckRecoveryActivities } from './check-recovery';
import { createReleasePinActivities } from './release-pin';
import { createStartExternalRestoreActivities } from './start-external-restore';

/** What recovering a dropped collection adds to a restore's wait, verification and compensation. */
export function createRecoverActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    ...createCheckRecoveryActivities(resources),
    ...createStartExternalRestoreActivities(gateway, resources),
    ...createReleasePinActivities(gateway),
  };
}
