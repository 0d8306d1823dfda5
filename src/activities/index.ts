import type { MilvusGateway } from '../milvus/gateway';
import { createCheckActivities } from './check-milvus';
import { withMilvusFailures } from './milvus-failure';

/**
 * All activities, bound to one Milvus gateway (real Milvus or the stand-in). Each concept's
 * factory adds its activities here, one line each.
 */
export function createActivities(gateway: MilvusGateway) {
  return withMilvusFailures({
    ...createCheckActivities(gateway),
  });
}

export type Activities = ReturnType<typeof createActivities>;
