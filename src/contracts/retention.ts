import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import { qualifiedName, scopedId, type OperationDescriptor } from './operation';
import type { ProtectionOutcome } from './catalog';
import { clusterField, durationMs, durationString } from './input-fields';
import { collectionName, dbName, DEFAULT_DB } from '../milvus/names';
import { hasWildcard } from '../policy/glob';
import { retentionPolicySchema } from '../policy/retention-policy';

/**
 * Apply a retention policy to one collection's snapshots, or to every collection of a database
 * whose name matches a pattern (one child workflow per collection).
 */
export const retentionInputSchema = z
  .object({
    cluster: clusterField,
    db: dbName.describe('database of the collection(s)'),
    collection: collectionName.optional().describe('the one collection to apply the policy to'),
    collectionPattern: z
      .string()
      .regex(/^[A-Za-z0-9_*?]+$/, 'letters, digits, _ and the wildcards * and ?')
      .refine(hasWildcard, 'must contain * or ? (use collection for a single collection)')
      .optional()
      .describe('apply the policy to every collection of the database matching this pattern, e.g. "items_*"'),
    policy: retentionPolicySchema.describe('which snapshots to keep (restic semantics)'),
    dryRun: z
      .boolean()
      .default(false)
      .describe('only plan: report what would be kept and dropped, drop nothing'),
    maxConcurrentDrops: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe('drops in flight at once for one collection'),
    dropBatchSize: z
      .number()
      .int()
      .min(1)
      .max(2000)
      .default(500)
      .describe('drops per workflow run before continuing as new (keeps the history small)'),
    maxConcurrentCollections: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(4)
      .describe('collections processed at once when a pattern matches several'),
    collectionsPerRun: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(100)
      .describe('collections handled per workflow run before continuing as new (keeps the history small)'),
    describeConcurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(8)
      .describe('DescribeSnapshot calls in flight at once while planning'),
    busyWait: durationString
      .optional()
      .describe(
        'when another retention run is working on a collection, wait this long for it to finish before reporting the collection busy, e.g. "6h" (default)',
      ),
  })
  .refine((i) => (i.collection === undefined) !== (i.collectionPattern === undefined), {
    message: 'give exactly one of collection and collectionPattern',
    path: ['collection'],
  });

export type RetentionInput = z.input<typeof retentionInputSchema>;
export type ParsedRetentionInput = z.output<typeof retentionInputSchema>;

/** How long to wait for another retention run on a collection (busyWait or the older busyWaitSeconds). */
export function busyWaitMs(input: ParsedRetentionInput): number {
  return durationMs(input.busyWait ?? '6h');
}

/** `retention:<cluster/><db>.<collection-or-pattern>`: the id of the run a caller starts. */
export function retentionWorkflowId(input: {
  cluster?: string;
  db?: string;
  collection?: string;
  collectionPattern?: string;
}): string {
  const name = input.collection ?? input.collectionPattern ?? '';
  return scopedId('retention', { cluster: input.cluster, db: input.db, name });
}

/**
 * `retention:<db>.<collection>/apply`: the `retentionApplyWorkflow` child that plans and drops for one collection. Every
 * run touching the collection works through this one id, so Temporal serialises them; runs on
 * different clusters too (the id has no cluster: changing it would change the child's start).
 */
export function retentionApplyWorkflowId(ref: { db?: string; collection: string }): string {
  return `${retentionWorkflowId({ db: ref.db, collection: ref.collection })}/apply`;
}

export interface KeptSnapshot {
  name: string;
  createTs: number;
  reasons: string[];
}

export interface DroppedSnapshot {
  name: string;
  createTs: number;
  /** 'already-gone': someone dropped it between the plan and the drop, which is the goal anyway. */
  outcome: 'dropped' | 'already-gone';
}

export interface FailedDrop {
  name: string;
  createTs: number;
  /** The failure type (a MilvusErrorKind, or the activity's error type). */
  type: string;
  message: string;
}

/**
 * What a `retentionApplyWorkflow` run (one collection) hands to the next when it continues as new:
 * the plan's rest. Its second argument; callers never give it.
 */
export interface CollectionContinuation {
  plannedAt: number;
  snapshots: number;
  kept: KeptSnapshot[];
  pending: { name: string; createTs: number }[];
  dropped: DroppedSnapshot[];
  failed: FailedDrop[];
  runs: number;
  protection?: ProtectionOutcome;
}

/**
 * What a pattern `retentionWorkflow` run hands to the next when it continues as new: the
 * collections still to do. Its second argument; callers never give it.
 */
export interface PatternContinuation {
  remaining: string[];
  summaries: CollectionSummary[];
}

/** What one retention run did to one collection. */
export interface CollectionRetentionResult {
  db: string;
  collection: string;
  dryRun: boolean;
  /** Epoch ms the plan was made. */
  plannedAt: number;
  /** Snapshots the collection had when planned. */
  snapshots: number;
  /** Kept snapshots with every reason (rules, protections, or Milvus refusing: pinned). */
  kept: KeptSnapshot[];
  /** Dropped by this run (empty on a dry run). */
  dropped: DroppedSnapshot[];
  /** On a dry run: what a real run would drop. Empty otherwise. */
  wouldDrop: { name: string; createTs: number }[];
  failed: FailedDrop[];
  /** Workflow runs this collection took (more than 1 when it continued as new). */
  runs: number;
  /** Protection pins renewed, made and released before planning (the catalog's policy). */
  protection?: ProtectionOutcome;
}

export interface CollectionSummary {
  collection: string;
  workflowId: string;
  status: 'done' | 'failed' | 'busy';
  /** Why the collection failed or stayed busy. */
  error?: string;
  snapshots: number;
  kept: number;
  dropped: number;
  wouldDrop: number;
  failed: FailedDrop[];
}

export interface RetentionResult {
  db: string;
  /** The collection, or the pattern. */
  target: string;
  dryRun: boolean;
  collections: CollectionSummary[];
  totals: {
    collections: number;
    snapshots: number;
    kept: number;
    dropped: number;
    wouldDrop: number;
    failed: number;
  };
  /** The full per-snapshot account, when the run covered a single collection. */
  detail?: CollectionRetentionResult;
}

/**
 * Where a retention run is. `planning` covers listing and describing; `dropping` the batches
 * (continued runs included); a coordinating run is `delegated` to `applyWorkflowId` (that child
 * answers the same query with the numbers) until it has the child's result; a pattern run is
 * `collections`.
 */
export type RetentionStep =
  'starting' | 'protecting' | 'planning' | 'dropping' | 'delegated' | 'collections' | 'done';

/** Answer of `retentionProgressQuery`: the plan's size and what happened to its snapshots so far. */
export interface RetentionProgress {
  step: RetentionStep;
  dryRun: boolean;
  /** The plan's size: snapshots the collection(s) had when planned (0 until planned). */
  planned: number;
  kept: number;
  dropped: number;
  failed: number;
  /** Planned drops not settled yet (planned = kept + dropped + failed + pending; a dry run's would-drops). */
  pending: number;
  /** Protection pins renewed before planning (single-collection runs). */
  renewed: number;
  /** Workflow runs so far (the apply child continues as new after each batch). */
  runs: number;
  /** A coordinating run: the child doing the work. */
  applyWorkflowId?: string;
  /** A pattern run: collections finished and matched. */
  collections?: { done: number; total: number };
}

/** Progress of a retention run (Temporal UI "Queries" tab, the CLI's bar, `client.retentionProgress`). */
export const retentionProgressQuery = defineQuery<RetentionProgress>('retentionProgress');

export const retentionDescriptor = {
  name: 'retention',
  workflowType: 'retentionWorkflow',
  input: retentionInputSchema,
  about: 'prune snapshots by policy (restic semantics); --dry-run only plans',
  workflowId: retentionWorkflowId,
  summary: (i) =>
    `retention ${qualifiedName(i.db, i.collection ?? i.collectionPattern)}${i.dryRun === true ? ' (dry run)' : ''}`,
  progress: retentionProgressQuery,
  schedule: {
    scheduleId: (i) =>
      scopedId('retention-schedule', { ...i, name: i.collection ?? i.collectionPattern ?? '' }),
    target: (i) => `${i.db}.${i.collection ?? i.collectionPattern}`,
  },
} satisfies OperationDescriptor<typeof retentionInputSchema, RetentionProgress>;
