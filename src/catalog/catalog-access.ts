import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  catalogCloseUpdate,
  catalogDescriptor,
  catalogQuery,
  catalogWorkflowId,
  clusterOfCatalogId,
  type CatalogCloseInput,
  type CatalogCloseResult,
  type CatalogState,
} from '../contracts/catalog';
import { emptyCatalog } from './apply-change';
import { DEFAULT_DB } from '../milvus/names';
import { InputError } from '../contracts/parse-input';

/**
 * A collection's catalog on one cluster: `cluster` is the id's (see contracts/catalog.ts
 * catalogCluster: absent = the default cluster's catalog).
 */
export interface CatalogRef {
  cluster?: string;
  db?: string;
  collection: string;
}

/** The catalog of a collection (a query to its catalog workflow); empty when nothing was recorded. */
export async function readCatalog(client: Client, ref: CatalogRef): Promise<CatalogState> {
  const db = ref.db ?? DEFAULT_DB;
  try {
    return await client.workflow
      .getHandle(catalogWorkflowId({ cluster: ref.cluster, db, collection: ref.collection }))
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
  ref: CatalogRef,
  request: CatalogCloseInput = {},
): Promise<CatalogCloseOutcome> {
  const db = ref.db ?? DEFAULT_DB;
  try {
    const result = await client.workflow
      .getHandle(catalogWorkflowId({ cluster: ref.cluster, db, collection: ref.collection }))
      .executeUpdate(catalogCloseUpdate, { args: [request] });
    return { closed: true, ...result };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      return {
        closed: false,
        db,
        collection: ref.collection,
        reason: `no catalog of ${ref.cluster ? `${ref.cluster}/` : ''}${db}.${ref.collection} is running`,
      };
    if (err instanceof WorkflowUpdateFailedError && err.cause) throw err.cause;
    throw err;
  }
}

/**
 * The non-default clusters with a running catalog of db.collection (`catalog:<cluster>/db.coll`),
 * by name, from Temporal's visibility (running `catalogWorkflow` executions).
 */
export async function catalogClustersOf(
  client: Client,
  ref: { db?: string; collection: string },
): Promise<string[]> {
  const clusters = new Set<string>();
  const runs = client.workflow.list({
    query: `WorkflowType = '${catalogDescriptor.workflowType}' AND ExecutionStatus = 'Running'`,
  });
  for await (const run of runs) {
    const cluster = clusterOfCatalogId(run.workflowId, ref);
    if (cluster) clusters.add(cluster);
  }
  return [...clusters].sort();
}

/** Where a recovery that names no cluster looks (see `recoverCluster`). */
export type RecoverCluster =
  /** The default cluster's catalog records the collection (or no catalog of it is running anywhere). */
  | { cluster?: undefined; foundElsewhere: false }
  /** Only this other cluster has a catalog of it. */
  | { cluster: string; foundElsewhere: true };

/**
 * A recovery without a cluster: the default cluster's catalog first; when it records nothing, the
 * one other cluster with a catalog of that db.collection. Several such clusters: InputError (exit
 * 2) naming them; none: the default's, whose recovery then refuses (nothing protected).
 */
export async function recoverCluster(
  client: Client,
  ref: { db?: string; collection: string },
): Promise<RecoverCluster> {
  if ((await readCatalog(client, ref)).entries.length > 0) return { foundElsewhere: false };
  const clusters = await catalogClustersOf(client, ref);
  if (clusters.length === 1) return { cluster: clusters[0], foundElsewhere: true };
  if (clusters.length > 1)
    throw new InputError('recover input', [
      {
        field: 'cluster',
        rule: `the default cluster has no catalog of ${ref.db ?? DEFAULT_DB}.${ref.collection}, but clusters ${clusters.join(', ')} each have one; name one with --cluster`,
      },
    ]);
  return { foundElsewhere: false };
}
