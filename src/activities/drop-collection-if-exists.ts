import { isMilvusError } from '../milvus/errors';
import type { CollectionRef, MilvusGateway } from '../milvus/gateway';

/**
 * Drops a collection if it is there; true when this call dropped it. Already gone (an earlier
 * attempt, another compensation) is the goal reached, not an error.
 */
export async function dropCollectionIfExists(gateway: MilvusGateway, ref: CollectionRef): Promise<boolean> {
  if (!(await gateway.hasCollection(ref))) return false;
  try {
    await gateway.dropCollection(ref);
    return true;
  } catch (err) {
    if (isMilvusError(err) && err.kind === 'CollectionNotFound') return false;
    throw err;
  }
}
