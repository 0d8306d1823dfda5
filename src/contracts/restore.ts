import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { qualifiedName, scopedId, textField, type OperationDescriptor } from './operation';
import type { RestoreState } from '../milvus/gateway';
import { collectionName, dbName, DEFAULT_DB, snapshotName } from '../milvus/names';
import { clusterField, durationString, profileField, sampleSizeField } from './input-fields';

/**
 * Restore a snapshot into a new collection and wait for it durably: adopt a job a crashed
 * attempt left running, never start a second one, verify the result, drop a partial target on
 * failure, timeout or cancellation.
 */
export const restoreVerifySchema = z
  .object({
    expectedRowCount: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        "rows the snapshot holds (default: the row count recorded in the snapshot's description by the backup workflow)",
      ),
    load: z
      .boolean()
      .default(false)
      .describe('load the restored collection and query a sample of rows by primary key'),
    sampleSize: sampleSizeField,
  })
  .describe('checks on the restored collection');

/** Where a bundle restore reads from: an export's metadata URI and the profile whose keys read it. */
export const restoreBundleSchema = z
  .object({
    metadataUri: z
      .string()
      .regex(/^\S+$/, 'must be a metadata URI without spaces (an export result or catalog entry gives it)')
      .describe("the bundle's metadata URI (an export's result, or the catalog entry's export)"),
    profile: profileField
      .optional()
      .describe(
        "storage profile whose external_spec reads the bundle (default: the cluster's own credentials)",
      ),
  })
  .describe(
    'restore from an off-site bundle (RestoreExternalSnapshot) into this cluster instead of a snapshot by name; snapshot and source* then only name what the bundle holds',
  );

export const restoreInputSchema = z
  .object({
    cluster: clusterField,
    bundle: restoreBundleSchema.optional(),
    snapshot: snapshotName.describe('snapshot to restore'),
    sourceDb: dbName.describe('database of the collection the snapshot belongs to'),
    sourceCollection: collectionName.describe('collection the snapshot belongs to'),
    targetDb: dbName.describe('database to restore into'),
    targetCollection: collectionName.describe('new collection to create (must not exist)'),
    timeout: durationString
      .default('6h')
      .describe(
        'give up after this long from the workflow start (the target is then handled per onFailure); Milvus itself fails a restore job still running after 24 h (reason "timeout") and pins the snapshot for at most 24 h, so a longer timeout only waits for that failure',
      ),
    pollInterval: durationString
      .default('5s')
      .describe('how often the restore job is polled at first; completion is noticed within this'),
    maxPollInterval: durationString
      .default('1m')
      .describe('on long jobs the poll interval grows (10% of the time waited so far) up to this'),
    verify: restoreVerifySchema.prefault({}),
    onFailure: z
      .enum(['drop-target', 'keep'])
      .default('drop-target')
      .describe(
        'what to do with a target this run created when the restore fails, times out or is cancelled',
      ),
    searchAttributes: z
      .boolean()
      .default(true)
      .describe(
        'publish state and progress as search attributes; turn off on a Temporal server where they are not registered (the memo carries them instead)',
      ),
  })
  .describe('restore a snapshot into a new collection');

export type RestoreInput = z.input<typeof restoreInputSchema>;
export type RestoreParams = z.output<typeof restoreInputSchema>;

/** `restore:<cluster/><targetDb>.<targetCollection>`: one restore per target at a time. */
export function restoreWorkflowId(
  input: Pick<RestoreInput, 'cluster' | 'targetDb' | 'targetCollection'>,
): string {
  return scopedId('restore', { cluster: input.cluster, db: input.targetDb, name: input.targetCollection });
}

/** What the workflow is doing; `state`/`progress` are the Milvus job's. */
export type RestorePhase =
  | 'describing'
  | 'starting'
  | 'waiting'
  | 'verifying'
  | 'compensating'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'timed-out';

/** Answer of `restoreProgressQuery`. */
export interface RestoreProgress {
  phase: RestorePhase;
  jobId?: string;
  /** True when the job was found running (or done) from an earlier attempt rather than started. */
  adopted?: boolean;
  state?: RestoreState;
  /** 0–100, as Milvus last reported it. */
  progress: number;
  /** Milvus's reason when the job failed. */
  reason?: string;
  /** Workflow start, epoch ms. */
  startedAt: number;
  /**
   * Time since the workflow started as of `asOf`: the workflow's clock only moves when it
   * processes an event (a query does not move it), so for a live figure use now − startedAt.
   */
  elapsedMs: number;
  /** The workflow time `elapsedMs` was measured at, epoch ms. */
  asOf: number;
  /** When the workflow last heard about the job, epoch ms. */
  updatedAt?: number;
  /** Milvus's time_cost of the job at the last update. */
  milvusTimeCostMs?: number;
}

/** The wait activity sends this (as a signal) when the job's state or progress step changes. */
export interface RestoreJobUpdate {
  jobId: string;
  state: RestoreState;
  progress: number;
  reason: string;
  timeCostMs: number;
  /** When the activity observed it, epoch ms. */
  observedAt: number;
}

/** Sent by the start activity the moment RestoreSnapshot returns: the run knows its job at once. */
export interface RestoreJobStarted {
  jobId: string;
  /** When RestoreSnapshot was sent, epoch ms. */
  startTime: number;
}

/** State, progress %, job id and elapsed time of a running restore; free (no history events). */
export const restoreProgressQuery = defineQuery<RestoreProgress>('restoreProgress');
/** Sent by the waiting activity when the job's state or progress step changes. */
export const restoreJobProgressSignal = defineSignal<[RestoreJobUpdate]>('restoreJobProgress');
/** Sent by the start activity right after RestoreSnapshot, so a failure after it still compensates. */
export const restoreJobStartedSignal = defineSignal<[RestoreJobStarted]>('restoreJobStarted');

export interface RestoreVerification {
  rowCount: number;
  /** What the row count had to equal, and where that number came from. */
  expectedRowCount: number | null;
  expectedRowCountSource: 'input' | 'snapshot-marker' | 'catalog' | 'unknown';
  /** count(*) equals Milvus's statistics row count (always checked). */
  statisticsRowCount: number;
  /** Rows returned by the sample query, when `verify.load` was set. */
  sampleRows?: number;
  passed: boolean;
  problems: string[];
}

export interface RestoreResult {
  /** The cluster restored into, when the input named one. */
  cluster?: string;
  /** The bundle restored from (RestoreExternalSnapshot), when the input named one. */
  bundle?: { metadataUri: string; profile?: string };
  snapshot: string;
  source: { db: string; collection: string };
  target: { db: string; collection: string };
  jobId: string;
  adopted: boolean;
  /** Workflow start, epoch ms. */
  startedAt: number;
  /** Restore job started (Milvus's start_time, else when the workflow started or adopted it), epoch ms. */
  jobStartedAt: number;
  /** Job seen Completed, epoch ms. */
  jobCompletedAt: number;
  /** Verified, epoch ms (workflow end). */
  completedAt: number;
  /** jobCompletedAt − jobStartedAt. */
  restoreDurationMs: number;
  /** Milvus's own time_cost for the job. */
  milvusTimeCostMs: number;
  /**
   * Milvus had forgotten the job (it does 3 h after a job ends) before it was polled again, so its
   * outcome was decided from the target: only verification proves the rows. jobCompletedAt is
   * then when that was noticed, and milvusTimeCostMs is 0.
   */
  jobForgotten?: boolean;
  verifiedRowCount: number;
  verification: RestoreVerification;
}

export const restoreDescriptor = {
  name: 'restore',
  workflowType: 'restoreWorkflow',
  input: restoreInputSchema,
  about: 'restore a snapshot into a new collection, wait durably, verify',
  workflowId: restoreWorkflowId,
  summary: (i) =>
    `restore ${textField(i.snapshot)} of ${qualifiedName(i.sourceDb, i.sourceCollection)} → ${qualifiedName(i.targetDb, i.targetCollection)}`,
  progress: restoreProgressQuery,
} satisfies OperationDescriptor<typeof restoreInputSchema, RestoreProgress>;
