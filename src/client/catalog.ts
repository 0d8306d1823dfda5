import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { catalogQuery, catalogWorkflowId, type CatalogState } from '../contracts/catalog';
import { emptyCatalog } from '../catalog/apply-change';
import { DEFAULT_DB } from '../milvus/names';

/** The catalog of a collection (a query to its catalog workflow); empty when nothing was recorded. */
export async function readCatalog(
  client: Client,
  ref: { db?: string; collection: string },
): Promise<CatalogState> {
  const db = ref.db ?? DEFAULT_DB;
  try {
    return await client.workflow
      .getHandle(catalogWorkflowId({ db, collection: ref.collection }))
      .query(catalogQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return emptyCatalog(db, ref.collection);
    throw err;
  }
}
