import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  catalogCloseUpdate,
  catalogQuery,
  catalogWorkflowId,
  type CatalogCloseInput,
  type CatalogCloseResult,
  type CatalogState,
} from '../contracts/catalog';
import { emptyCatalog } from './apply-change';
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

/** What `closeCatalog` did: closed (and what that left), or nothing was running to close. */
export type CatalogCloseOutcome =
  ({ closed: true } & CatalogCloseResult) | { closed: false; db: string; collection: string; reason: string };

/**
 * Closes the catalog of a collection (the `catalogClose` update; the workflow's rule decides). A
 * refusal throws the workflow's ApplicationFailure (CatalogStillProtects, or InvalidInput) itself.
 * No catalog running (never started, or closed already) is not an error: a retry finds it closed.
 */
export async function closeCatalog(
  client: Client,
  ref: { db?: string; collection: string },
  request: CatalogCloseInput = {},
): Promise<CatalogCloseOutcome> {
  const db = ref.db ?? DEFAULT_DB;
  try {
    const result = await client.workflow
      .getHandle(catalogWorkflowId({ db, collection: ref.collection }))
      .executeUpdate(catalogCloseUpdate, { args: [request] });
    return { closed: true, ...result };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      return {
        closed: false,
        db,
        collection: ref.collection,
        reason: `no catalog of ${db}.${ref.collection} is running`,
      };
    if (err instanceof WorkflowUpdateFailedError && err.cause) throw err.cause;
    throw err;
  }
}
