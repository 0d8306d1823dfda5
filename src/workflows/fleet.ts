import { parseWorkflowInput } from './parse-workflow-input';
import { failureOf } from './activity-failures';
import {
  continueAsNew,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { backupInputSchema, backupSnapshotName, backupWorkflowId } from '../contracts/backup';
import type { BackupInput } from '../contracts/backup';
import { drillWorkflowId, type DrillInput } from '../contracts/drill';
import { exportWorkflowId, type ExportInput } from '../contracts/export';
import type { RetentionInput } from '../contracts/retention';
import {
  CALLS_PER_COLLECTION,
  fleetChildInput,
  fleetInputSchema,
  fleetProgressQuery,
  type FleetCollectionDetail,
  type FleetCollectionSummary,
  type FleetInput,
  type FleetResult,
  type ParsedFleetInput,
} from '../contracts/fleet';
import { parseInput } from '../contracts/parse-input';
import { FailureType } from '../contracts/failures';
import { searchableAs } from './steps';
import { HEARTBEAT_TIMEOUT, MILVUS_RETRY } from './retry-policies';
import { backupWorkflow } from './backup';
import { drillWorkflow } from './drill';
import { exportWorkflow } from './export';
import { forEachConcurrent, retentionWorkflow } from './retention';

const { listFleetCollections, newestCatalogSnapshot } = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

/** State a fleet run hands to the next when it continues as new. */
export interface FleetCarry {
  remaining: string[];
  summaries: FleetCollectionSummary[];
  /** Epoch ms of the first run's start: names snapshots and drills alike in every run. */
  startedAt: number;
  runs: number;
}

/**
 * Children's results land in this history, so besides `collectionsPerRun` the run also continues
 * as new once Temporal suggests it or the history grows past this.
 */
const HISTORY_BYTES = 8 * 1024 * 1024;

function historyIsLarge(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historySize > HISTORY_BYTES;
}

/**
 * One operation on every collection of a database matching a pattern. Each collection's work is
 * that operation's own workflow, run as a child (so it shows in the UI with its progress, and its
 * id serialises it with anyone else's run on the collection); children run in a sliding window
 * sized so at most `maxConcurrency` Milvus calls are in flight. A failing collection is reported
 * in its summary and the others go on; the fleet itself completes with every summary. It continues
 * as new after `collectionsPerRun` collections, waiting for its running children first (they would
 * be terminated with the run otherwise).
 */
export async function fleetWorkflow(raw: FleetInput, carry?: FleetCarry): Promise<FleetResult> {
  const input = parseWorkflowInput(fleetInputSchema, raw, 'fleet input');
  const startedAt = carry?.startedAt ?? Date.now();
  const summaries = [...(carry?.summaries ?? [])];
  const running = new Set<string>();
  let matched: number | undefined = carry ? carry.summaries.length + carry.remaining.length : undefined;
  setHandler(fleetProgressQuery, () => ({
    operation: input.operation,
    collections: matched,
    done: summaries.filter((s) => s.status === 'done').length,
    failed: summaries.filter((s) => s.status === 'failed').length,
    skipped: summaries.filter((s) => s.status === 'skipped').length,
    running: [...running],
  }));
  searchableAs('fleet', { db: input.db, collection: input.collectionPattern });

  const remaining =
    carry?.remaining ??
    (await listFleetCollections({
      ...clusterOf(input.options),
      db: input.db,
      pattern: input.collectionPattern,
    }));
  matched ??= remaining.length;
  const chunk = remaining.slice(0, input.collectionsPerRun);
  const finished = new Map<string, FleetCollectionSummary>();
  const window = Math.floor(input.maxConcurrency / CALLS_PER_COLLECTION[input.operation]);
  await forEachConcurrent(
    chunk,
    window,
    async (collection) => {
      running.add(collection);
      finished.set(collection, await runChild(input, collection, startedAt));
      running.delete(collection);
    },
    () => finished.size > 0 && historyIsLarge(), // at least one per run, so the runs always progress
  );
  summaries.push(...chunk.filter((c) => finished.has(c)).map((c) => finished.get(c)!));
  const rest = remaining.filter((c) => !finished.has(c));
  const runs = (carry?.runs ?? 0) + 1;
  if (rest.length > 0) {
    await continueAsNew<typeof fleetWorkflow>(input, { remaining: rest, summaries, startedAt, runs });
  }
  return resultOf(input, summaries, runs, startedAt);
}

/** The cluster the fleet's options name, for the fleet's own calls: the children run there too. */
function clusterOf(options: Record<string, unknown>): { cluster?: string } {
  return typeof options.cluster === 'string' ? { cluster: options.cluster } : {};
}

/**
 * An export fleet's child input: the collection's newest verified snapshot per its catalog (not
 * dropped by retention since), or why there is none (the collection is skipped). The export
 * workflow itself skips a snapshot the catalog records as exported with this profile already.
 */
async function exportChildInput(
  childInput: Record<string, unknown>,
  ref: { db: string; collection: string },
): Promise<ExportInput | { reason: string }> {
  const candidate = await newestCatalogSnapshot({ ...clusterOf(childInput), ...ref });
  if ('reason' in candidate) return candidate;
  return { ...childInput, snapshot: candidate.snapshot } as ExportInput;
}

/** The child's failure (or a failed drill) as a summary; only cancellation propagates. */
async function runChild(
  input: ParsedFleetInput,
  collection: string,
  fleetStartedAt: number,
): Promise<FleetCollectionSummary> {
  const started = Date.now();
  const ref = { db: input.db, collection };
  const childInput = fleetChildInput(input.operation, input.options, ref);
  let workflowId: string | undefined = `${workflowInfo().workflowId}/${collection}`;
  try {
    let detail: FleetCollectionDetail;
    if (input.operation === 'backup') {
      const parsed = parseInput(backupInputSchema, childInput, 'backup input');
      const snapshot = backupSnapshotName(parsed, new Date(fleetStartedAt));
      workflowId = backupWorkflowId({ ...ref, snapshot });
      const result = await executeChild(backupWorkflow, {
        workflowId,
        args: [{ ...childInput, snapshot } as BackupInput],
      });
      detail = { operation: 'backup', snapshot, rowCount: result.rowCount, reused: result.reused };
    } else if (input.operation === 'retention') {
      const result = await executeChild(retentionWorkflow, {
        workflowId,
        args: [childInput as RetentionInput],
      });
      const { snapshots, kept, dropped, wouldDrop, failed } = result.totals;
      detail = { operation: 'retention', snapshots, kept, dropped, wouldDrop, failedDrops: failed };
    } else if (input.operation === 'export') {
      workflowId = undefined; // known once the snapshot is
      const args = await exportChildInput(childInput, ref);
      if ('reason' in args) {
        return { collection, status: 'skipped', reason: args.reason, durationMs: Date.now() - started };
      }
      workflowId = exportWorkflowId(args);
      const result = await executeChild(exportWorkflow, { workflowId, args: [args] });
      const { snapshot, metadataUri, totalFiles, totalBytes, alreadyExported } = result;
      detail = { operation: 'export', snapshot, metadataUri, totalFiles, totalBytes, alreadyExported };
    } else {
      workflowId = drillWorkflowId(ref, `fleet-${compactTime(fleetStartedAt)}`);
      const report = await executeChild(drillWorkflow, { workflowId, args: [childInput as DrillInput] });
      detail = {
        operation: 'drill',
        outcome: report.outcome,
        rtoMs: report.rto.measuredMs,
        rpoMs: report.rpo.measuredMs,
        reasons: report.reasons,
      };
      if (report.outcome === 'fail') {
        const error = { type: FailureType.DrillFailed, message: report.reasons.join('; ') };
        return { collection, workflowId, status: 'failed', error, detail, durationMs: Date.now() - started };
      }
    }
    return { collection, workflowId, status: 'done', detail, durationMs: Date.now() - started };
  } catch (err) {
    if (isCancellation(err)) throw err;
    return {
      collection,
      ...(workflowId ? { workflowId } : {}),
      status: 'failed',
      error: failureOf(err),
      durationMs: Date.now() - started,
    };
  }
}

/** `20261130T020000Z`: a workflow-id-safe time. */
function compactTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d+/g, '');
}

function resultOf(
  input: ParsedFleetInput,
  collections: FleetCollectionSummary[],
  runs: number,
  startedAt: number,
): FleetResult {
  const count = (status: FleetCollectionSummary['status']) =>
    collections.filter((c) => c.status === status).length;
  const skipped = input.operation === 'export' ? { skipped: count('skipped') } : {};
  return {
    operation: input.operation,
    db: input.db,
    collectionPattern: input.collectionPattern,
    collections,
    totals: { collections: collections.length, done: count('done'), failed: count('failed'), ...skipped },
    runs,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
  };
}
