import { failureOf } from './activity-failures';
import { parseWorkflowInput } from './parse-workflow-input';
import { RetentionProgressTracker } from './retention-progress';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  continueAsNew,
  isCancellation,
  proxyActivities,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CollectionPlan } from '../activities/retention';
import { REASON } from '../policy/plan-retention';
import {
  retentionApplyWorkflowId,
  busyWaitMs,
  retentionInputSchema,
  type CollectionRetentionResult,
  type CollectionContinuation,
  type CollectionSummary,
  type ParsedRetentionInput,
  type PatternContinuation,
  type RetentionInput,
  type RetentionResult,
} from '../contracts/retention';
import { searchableAs } from './steps';
import { HEARTBEAT_TIMEOUT, MILVUS_RETRY } from './retry-policies';
import { FailureType } from '../contracts/failures';
import { onCluster } from '../contracts/input-fields';

// Listing and describing thousands of snapshots takes a while: heartbeats show it is alive.
const { planCollectionRetention, listRetentionCollections, listSnapshotsInUseByRestore } =
  proxyActivities<Activities>({
    startToCloseTimeout: '30m',
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: MILVUS_RETRY,
  });

// Protection (pins the catalog's policy asks for) and the catalog's record of what was dropped.
const { protectSnapshots, recordDroppedSnapshots } = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

const { dropSnapshotForRetention } = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

/**
 * Applies a retention policy (restic semantics, see src/policy) to one collection, or to every
 * collection matching a pattern. Two workflow types, each doing one thing:
 *
 * - `retentionWorkflow`, the run a caller starts, coordinates: with `collection` it runs one child,
 *   with `collectionPattern` one child per matching collection (continuing as new with the
 *   collections still to do, `PatternContinuation`). The work on each collection happens in a child
 *   under that collection's own id (`retentionApplyWorkflowId`), so any two runs touching one
 *   collection (overlapping patterns, a Schedule and a person, ...) are serialised by Temporal.
 * - `retentionApplyWorkflow`, that child, applies the policy to its one collection.
 *
 * Which of the two runs is its workflow type, and what a coordinator does is its input; the second
 * argument of either is only the state a run hands to the run it continues as (never given by callers).
 */
export async function retentionWorkflow(
  raw: RetentionInput,
  continued?: PatternContinuation,
): Promise<RetentionResult> {
  const { input, target, progress } = beginRetention(raw);
  if (input.collection === undefined) {
    return finished(progress, resultOf(input, target, await retainPattern(input, continued, progress)));
  }
  return finished(progress, await coordinate(input, input.collection, progress));
}

/**
 * One collection's retention, the child of `retentionWorkflow`: an activity lists, describes and
 * plans (the plan holds names, times and reasons, never the descriptions); then drops run in
 * batches, one activity per snapshot with bounded concurrency, continuing as new after each batch
 * (`CollectionContinuation`) so the history stays small however many snapshots there are. Before
 * each batch the snapshots restore jobs read are fetched again and spared. A drop Milvus refuses
 * because the snapshot is pinned is reported as kept ("pinned"); one already gone counts as
 * dropped; any other failure is reported and the other drops go on.
 */
export async function retentionApplyWorkflow(
  raw: RetentionInput,
  continued?: CollectionContinuation,
): Promise<RetentionResult> {
  const { input, target, progress } = beginRetention(raw);
  if (input.collection === undefined) {
    throw ApplicationFailure.nonRetryable(
      'retentionApplyWorkflow applies to one collection: its input names a collection, not a pattern',
      FailureType.InvalidInput,
    );
  }
  const detail = await retainCollection(input, input.collection, continued, progress);
  return finished(progress, resultOf(input, target, [summaryOf(detail, workflowInfo().workflowId)], detail));
}

function beginRetention(raw: RetentionInput) {
  const input = parseWorkflowInput(retentionInputSchema, raw, 'retention input');
  const target = input.collection ?? input.collectionPattern!;
  const progress = new RetentionProgressTracker(input.dryRun);
  searchableAs('retention', { db: input.db, collection: target });
  return { input, target, progress };
}

function finished(progress: RetentionProgressTracker, result: RetentionResult): RetentionResult {
  progress.done(result.detail, result.collections);
  return result;
}

/** A single-collection run: the child does the work; its failure is this run's failure. */
async function coordinate(
  input: ParsedRetentionInput,
  collection: string,
  progress: RetentionProgressTracker,
): Promise<RetentionResult> {
  const { summary, detail } = await retainChild(input, collection, (id) => progress.delegate(id));
  if (summary.status !== 'done') {
    throw ApplicationFailure.nonRetryable(
      `retention of ${input.db}.${collection} ${summary.status === 'busy' ? 'gave up waiting' : 'failed'}: ${summary.error}`,
      summary.status === 'busy' ? FailureType.RetentionBusy : FailureType.RetentionFailed,
    );
  }
  return resultOf(input, collection, [summary], detail);
}

/** The first run plans (after renewing protection); every run drops one batch and continues with the rest. */
async function retainCollection(
  input: ParsedRetentionInput,
  collection: string,
  continued: CollectionContinuation | undefined,
  progress: RetentionProgressTracker,
): Promise<CollectionRetentionResult> {
  const ref = { db: input.db, collection };
  // Every Milvus-touching activity runs on the input's cluster; only its catalog entries are pinned.
  const on = { ...onCluster(input.cluster), ...ref };
  let state: CollectionContinuation;
  if (continued) {
    state = { ...continued, runs: continued.runs + 1 };
  } else {
    // First renew, make and release protection pins: rotated-out snapshots become droppable below.
    if (!input.dryRun) progress.step = 'protecting';
    const protection = !input.dryRun ? await protectSnapshots(on) : undefined;
    progress.step = 'planning';
    const plannedAt = Date.now();
    const plan = await planCollectionRetention({
      ...on,
      policy: input.policy,
      now: plannedAt,
      describeConcurrency: input.describeConcurrency,
    });
    if (input.dryRun) return dryRunResult(input, collection, plannedAt, plan);
    state = {
      plannedAt,
      snapshots: plan.snapshots,
      kept: plan.kept,
      pending: plan.drop,
      dropped: [],
      failed: [],
      runs: 1,
      ...(protection?.policy ? { protection } : {}),
    };
  }
  progress.step = 'dropping';
  progress.follow(state);

  const batch = state.pending.slice(0, input.dropBatchSize);
  const rest = state.pending.slice(input.dropBatchSize);
  await dropBatch(on, batch, input.maxConcurrentDrops, state);
  if (rest.length > 0) await continueAsNew<typeof retentionApplyWorkflow>(input, { ...state, pending: rest });

  return {
    ...ref,
    dryRun: false,
    plannedAt: state.plannedAt,
    snapshots: state.snapshots,
    kept: newestFirst(state.kept),
    dropped: newestFirst(state.dropped),
    wouldDrop: [],
    failed: newestFirst(state.failed),
    runs: state.runs,
    ...(state.protection ? { protection: state.protection } : {}),
  };
}

/** Drops one batch; outcomes are appended to `state`. */
async function dropBatch(
  ref: { cluster?: string; db: string; collection: string },
  batch: { name: string; createTs: number }[],
  concurrency: number,
  state: CollectionContinuation,
): Promise<void> {
  const droppedBefore = state.dropped.length;
  // A restore may have started since the plan: re-read, once per batch, what restores use.
  const inUse = new Set(batch.length > 0 ? await listSnapshotsInUseByRestore(onCluster(ref.cluster)) : []);
  const toDrop = batch.filter((s) => {
    if (!inUse.has(s.name)) return true;
    state.kept.push({ ...s, reasons: [REASON.inUse] });
    return false;
  });
  await forEachConcurrent(toDrop, concurrency, async (s) => {
    try {
      const r = await dropSnapshotForRetention({ ...ref, snapshot: s.name });
      if (r.outcome === 'pinned') state.kept.push({ ...s, reasons: [REASON.pinned] });
      else state.dropped.push({ ...s, outcome: r.outcome });
    } catch (err) {
      if (isCancellation(err)) throw err;
      state.failed.push({ ...s, ...failureOf(err) });
    }
  });
  const dropped = state.dropped.slice(droppedBefore).map((d) => d.name);
  if (dropped.length > 0) {
    await recordDroppedSnapshots({ ...ref, snapshots: dropped, at: Date.now() });
  }
}

function dryRunResult(
  input: ParsedRetentionInput,
  collection: string,
  plannedAt: number,
  plan: CollectionPlan,
): CollectionRetentionResult {
  return {
    db: input.db,
    collection,
    dryRun: true,
    plannedAt,
    snapshots: plan.snapshots,
    kept: plan.kept,
    dropped: [],
    wouldDrop: plan.drop,
    failed: [],
    runs: 1,
  };
}

/**
 * Children's results (with every snapshot's fate) land in this history, so besides the
 * `collectionsPerRun` count the run also continues as new once its history grows past this.
 */
const PATTERN_HISTORY_BYTES = 8 * 1024 * 1024;

function historyIsLarge(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historySize > PATTERN_HISTORY_BYTES;
}

async function retainPattern(
  input: ParsedRetentionInput,
  continued: PatternContinuation | undefined,
  progress: RetentionProgressTracker,
): Promise<CollectionSummary[]> {
  const remaining =
    continued?.remaining ??
    (await listRetentionCollections({
      ...onCluster(input.cluster),
      db: input.db,
      pattern: input.collectionPattern!,
    }));
  const summaries = [...(continued?.summaries ?? [])];
  const chunk = remaining.slice(0, input.collectionsPerRun);
  const results = new Map<string, CollectionSummary>();
  progress.followCollections(() => [...summaries, ...results.values()], summaries.length + remaining.length);
  await forEachConcurrent(
    chunk,
    input.maxConcurrentCollections,
    async (collection) => {
      results.set(collection, (await retainChild(input, collection)).summary);
    },
    () => results.size > 0 && historyIsLarge(), // at least one per run, so the runs always progress
  );
  summaries.push(...chunk.filter((c) => results.has(c)).map((c) => results.get(c)!));
  const rest = remaining.filter((c) => !results.has(c));
  if (rest.length > 0) {
    await continueAsNew<typeof retentionWorkflow>(input, { remaining: rest, summaries });
  }
  return summaries;
}

/**
 * One collection's work, as a child workflow under the collection's own id. When another run
 * holds that id, wait for it to finish and then run: the fresh plan sees what the other run
 * already dropped, so nothing is dropped twice and both runs' policies end up applied.
 */
async function retainChild(
  input: ParsedRetentionInput,
  collection: string,
  onStarted?: (workflowId: string) => void,
): Promise<{ summary: CollectionSummary; detail?: CollectionRetentionResult }> {
  const workflowId = retentionApplyWorkflowId({ db: input.db, collection });
  const childInput: RetentionInput = { ...input, collection, collectionPattern: undefined };
  const giveUpAt = Date.now() + busyWaitMs(input);
  for (let delayMs = 1000; ; delayMs = Math.min(delayMs * 2, 60_000)) {
    try {
      // startChild + result() issues the same command as executeChild; the start is known in between.
      const child = await startChild(retentionApplyWorkflow, { workflowId, args: [childInput] });
      onStarted?.(workflowId);
      const result = await child.result();
      return { summary: result.collections[0], detail: result.detail };
    } catch (err) {
      if (isCancellation(err)) throw err;
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        return { summary: emptySummary(collection, workflowId, 'failed', failureOf(err).message) };
      }
      if (Date.now() + delayMs > giveUpAt) {
        const error = `another run (${workflowId}) was still working on it`;
        return { summary: emptySummary(collection, workflowId, 'busy', error) };
      }
      await sleep(delayMs);
    }
  }
}

/**
 * Runs `fn` over `items` (retention's drops and children, fleet's children), at most `limit` at once, in a sliding window: a new item starts as soon
 * as one finishes (deterministic: only workflow promises). Once `stop()` says so, no further item
 * is started; the ones running are awaited.
 */
export async function forEachConcurrent<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function newestFirst<T extends { createTs: number; name: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => b.createTs - a.createTs || (a.name < b.name ? -1 : 1));
}

function summaryOf(detail: CollectionRetentionResult, workflowId: string): CollectionSummary {
  return {
    collection: detail.collection,
    workflowId,
    status: 'done',
    snapshots: detail.snapshots,
    kept: detail.kept.length,
    dropped: detail.dropped.length,
    wouldDrop: detail.wouldDrop.length,
    failed: detail.failed,
  };
}

function emptySummary(
  collection: string,
  workflowId: string,
  status: 'failed' | 'busy',
  error: string,
): CollectionSummary {
  return {
    collection,
    workflowId,
    status,
    error,
    snapshots: 0,
    kept: 0,
    dropped: 0,
    wouldDrop: 0,
    failed: [],
  };
}

function resultOf(
  input: ParsedRetentionInput,
  target: string,
  collections: CollectionSummary[],
  detail?: CollectionRetentionResult,
): RetentionResult {
  const sum = (f: (c: CollectionSummary) => number) => collections.reduce((n, c) => n + f(c), 0);
  return {
    db: input.db,
    target,
    dryRun: input.dryRun,
    collections,
    totals: {
      collections: collections.length,
      snapshots: sum((c) => c.snapshots),
      kept: sum((c) => c.kept),
      dropped: sum((c) => c.dropped),
      wouldDrop: sum((c) => c.wouldDrop),
      failed: sum((c) => c.failed.length),
    },
    ...(detail ? { detail } : {}),
  };
}
