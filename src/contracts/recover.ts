import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import { collectionName, dbName, milvusName } from '../milvus/names';
import { clusterField, durationString, sampleSizeField, searchAttributesField } from './input-fields';
import { scopedId, type OperationDescriptor } from './operation';
import type { RestoreProgress } from './restore';

/** Recover a dropped collection from the newest protected snapshot in its catalog (or a named one). */
export const recoverInputSchema = z
  .object({
    cluster: clusterField.describe(
      "Milvus cluster by the worker's configured name, whose catalog is read; none: the default cluster's catalog, else the only other cluster with a catalog of the collection (client and CLI; several are refused). A named cluster must be the one the entry's backup ran on",
    ),
    db: dbName.describe('database of the dropped collection'),
    collection: collectionName.describe('the dropped collection (its catalog)'),
    as: collectionName
      .optional()
      .describe('recover under this new name (default: the old name) in the same database'),
    snapshot: milvusName
      .optional()
      .describe('the catalog entry to recover (default: the newest protected one whose pin holds)'),
    releasePin: z
      .boolean()
      .default(false)
      .describe(
        'unpin the snapshot after a verified recovery (it is then collected: the collection it belonged to is gone)',
      ),
    timeout: durationString
      .default('6h')
      .describe('give up after this long from the workflow start (a partial target is dropped)'),
    pollInterval: durationString.default('5s').describe('how often the restore job is polled at first'),
    maxPollInterval: durationString.default('1m').describe('the poll interval grows up to this on long jobs'),
    verify: z
      .object({
        load: z
          .boolean()
          .default(false)
          .describe('load the recovered collection and query a sample of rows by primary key'),
        sampleSize: sampleSizeField.describe('rows the sample query must return'),
      })
      .prefault({})
      .describe("checks on the recovered collection (its row count always equals the catalog's)"),
    searchAttributes: searchAttributesField,
  })
  .describe('recover a dropped collection from its catalog');

export type RecoverInput = z.input<typeof recoverInputSchema>;
export type RecoverParams = z.output<typeof recoverInputSchema>;

/** `recover:<cluster/><db>.<target>`: one recovery per target at a time. */
export function recoverWorkflowId(input: Pick<RecoverInput, 'cluster' | 'db' | 'collection' | 'as'>): string {
  return scopedId('recover', { cluster: input.cluster, db: input.db, name: input.as ?? input.collection });
}

export type RecoverPhase =
  | 'checking'
  | 'starting'
  | 'waiting'
  | 'verifying'
  | 'releasing-pin'
  | 'compensating'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'timed-out';

/**
 * Answer of `recoverProgressQuery`: a restore's progress (the wait activity reports the job with
 * restoreJobProgressSignal, as in a restore) plus the catalog entry chosen.
 */
export type RecoverProgress = Omit<RestoreProgress, 'phase'> & { phase: RecoverPhase; snapshot?: string };

export const recoverProgressQuery = defineQuery<RecoverProgress>('recoverProgress');

export interface RecoverResult {
  /** The cluster recovered on: the catalog entry's (absent for the worker's default cluster). */
  cluster?: string;
  db: string;
  /** The dropped collection whose catalog entry was used. */
  collection: string;
  /** The collection recovered into (the old name or `as`). */
  target: string;
  snapshot: string;
  metadataUri: string;
  jobId: string;
  adopted: boolean;
  /** The catalog's row count, which the recovered collection matched. */
  rowCount: number;
  sampleRows?: number;
  /** True when the pin was released after verification (releasePin). */
  pinReleased: boolean;
  startedAt: number;
  completedAt: number;
}

export const recoverDescriptor = {
  name: 'recover',
  workflowType: 'recoverWorkflow',
  input: recoverInputSchema,
  about: 'recover a dropped collection from the newest protected snapshot in its catalog (--as NEW_NAME)',
  workflowId: recoverWorkflowId,
  progress: recoverProgressQuery,
} satisfies OperationDescriptor<typeof recoverInputSchema, RecoverProgress>;
