import { ApplicationFailure } from '@temporalio/common';
import {
  catalogChangeSignal,
  catalogWorkflowId,
  type CatalogChange,
  type CatalogState,
} from '../../contracts/catalog';
import { closeCatalog, readCatalog, type CatalogCloseOutcome } from '../../catalog/catalog-access';
import type { CollectionRef } from '../../milvus/gateway';
import { currentActivityContext } from '../heartbeat';

/** The workflow type, by name: activities never import workflow code. */
const CATALOG_WORKFLOW = 'catalogWorkflow';

function context() {
  const ctx = currentActivityContext();
  if (!ctx) throw ApplicationFailure.nonRetryable('the catalog is reached from inside an activity only');
  return ctx;
}

/**
 * Applies a change to the collection's catalog, starting the catalog workflow when it is not
 * running (signalWithStart: one call, on the worker's own task queue). Once this returns the
 * change is in the catalog's history; a retry sends it again, which changes nothing.
 */
export async function sendCatalogChange(ref: CollectionRef, change: CatalogChange): Promise<void> {
  const ctx = context();
  await ctx.client.workflow.signalWithStart(CATALOG_WORKFLOW, {
    workflowId: catalogWorkflowId(ref),
    taskQueue: ctx.info.taskQueue,
    args: [{ db: ref.db, collection: ref.collection }],
    signal: catalogChangeSignal,
    signalArgs: [change],
  });
}

/** The collection's catalog; empty when no backup of it was ever recorded. */
export async function queryCatalog(ref: CollectionRef): Promise<CatalogState> {
  return readCatalog(context().client, ref);
}

/** Closes the collection's catalog without force (see catalog/catalog-access.ts); a refusal is not retried. */
export async function closeCollectionCatalog(ref: CollectionRef): Promise<CatalogCloseOutcome> {
  const ctx = context();
  try {
    return await closeCatalog(ctx.client, ref, {
      reason: `closed by ${ctx.info.workflowExecution?.workflowId}`,
    });
  } catch (err) {
    if (err instanceof ApplicationFailure) throw ApplicationFailure.nonRetryable(err.message, err.type);
    throw err;
  }
}
