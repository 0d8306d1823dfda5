import { innermostFailure } from './activity-failures';
import { parseWorkflowInput } from './parse-workflow-input';
import {
  ApplicationFailure,
  CancellationScope,
  executeChild,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CollectionComparison } from '../drill/compare';
import type { DropScratchResult } from '../activities/drill/drop-scratch-collection';
import type { CollectionRef } from '../milvus/gateway';
import { renderDrillReport } from '../drill/render-report';
import {
  buildDrillReport,
  formatDuration,
  type DrillReport,
  type DrillSnapshot,
  type DrillStep,
  type DrillStepName,
} from '../drill/report';
import { backupWorkflowId, type BackupResult } from '../contracts/backup';
import {
  drillDurationsMs,
  drillInputSchema,
  drillProgressQuery,
  drillSnapshotName,
  scratchCollectionName,
  type DrillInput,
  type DrillParams,
} from '../contracts/drill';
import { restoreWorkflowId, type RestoreResult } from '../contracts/restore';
import { onCluster } from '../contracts/input-fields';
import { recoverWorkflowId, type RecoverResult } from '../contracts/recover';
import { DRILL_RESULT, DRILL_RPO_MS, DRILL_RTO_MS } from '../temporal/search-attributes';
import { backupWorkflow } from './backup';
import { restoreWorkflow } from './restore';
import { recoverWorkflow } from './recover';
import { COMPENSATION_RETRY, HEARTBEAT_TIMEOUT, MILVUS_RETRY } from './retry-policies';
import { searchableAs, searchableSnapshot, StepTracker, type StepRun } from './steps';
import { FailureType } from '../contracts/failures';

const { findLatestVerifiedSnapshot, compareScratchWithSource, readCatalog } = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

// Cleanup tries harder and longer: a scratch collection left behind costs memory and confuses people.
const { dropScratchCollection, releaseCatalogPin, recordCatalogChange, closeCatalog } =
  proxyActivities<Activities>({
    startToCloseTimeout: '5m',
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: COMPENSATION_RETRY,
  });

/** Thrown by a failed step so the following steps are skipped; the failure is already recorded. */
class StepFailed extends Error {}

/** The first message in a failure chain that is not a wrapper's ("Child Workflow execution failed"). */
function failureMessage(err: unknown): string {
  const failure = innermostFailure(err);
  return failure instanceof Error ? failure.message : String(failure);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** What one drill knows; the steps fill it in, the progress query and the report read it. */
interface DrillRun {
  input: DrillParams;
  durations: ReturnType<typeof drillDurationsMs>;
  workflowId: string;
  runId: string;
  startedAt: number;
  /** Makes the snapshot and scratch names of this drill unique. */
  unique: string;
  /** With the cluster each lives on, when the input names one (activities run there). */
  source: CollectionRef & { cluster?: string };
  scratch: CollectionRef & { cluster?: string };
  /** The off-site bundle a 'bundle' drill restores. */
  bundle?: { metadataUri: string; profile: string };
  steps: StepTracker<DrillStepName, 'done'>;
  backupWorkflowId?: string;
  restoreWorkflowId?: string;
  snapshot: DrillSnapshot | null;
  restored: RestoreResult | null;
  /** The dropped-collection disaster runs (its input and the patch agree). */
  droppedCollection: boolean;
  /** Cleanup closed the scratch's catalog (dropped-collection disaster). */
  scratchCatalogClosed: boolean;
  recovered: RecoverResult | null;
  verification: CollectionComparison | null;
  rtoMs: number | null;
  rpoMs: number | null;
  cancellation?: unknown;
}

function firstStep(input: DrillParams): DrillStepName {
  return input.source === 'backup' ? 'backup' : 'find-snapshot';
}

function startRun(raw: DrillInput): DrillRun {
  const input = parseWorkflowInput(drillInputSchema, raw, 'drill input');
  const durations = drillDurationsMs(input);
  const info = workflowInfo();
  const startedAt = Date.now();
  const unique = uuid4().replace(/-/g, '');
  return {
    input,
    durations,
    workflowId: info.workflowId,
    runId: info.runId,
    startedAt,
    unique,
    source: { ...onCluster(input.cluster), db: input.db, collection: input.collection },
    scratch: {
      ...onCluster(input.drCluster ?? input.cluster),
      db: input.scratchDb ?? input.db,
      collection: scratchCollectionName(input.collection, unique),
    },
    steps: new StepTracker<DrillStepName, 'done'>(firstStep(input)),
    snapshot: null,
    restored: null,
    droppedCollection: false,
    scratchCatalogClosed: false,
    recovered: null,
    verification: null,
    rtoMs: null,
    rpoMs: null,
  };
}

/** A step as the progress query and the report show it. */
function drillStep(step: StepRun<DrillStepName>): DrillStep {
  const shown: DrillStep = { name: step.name, status: step.status, startedAt: iso(step.startedAt) };
  if (step.status === 'running') return shown;
  shown.durationMs = step.durationMs;
  if (step.status === 'ok') shown.detail = step.detail;
  else shown.error = failureMessage(step.error);
  return shown;
}

function installHandlers(run: DrillRun): void {
  setHandler(drillProgressQuery, () => ({
    step: run.steps.current,
    scratch: run.scratch,
    steps: run.steps.runs.map(drillStep),
    ...(run.backupWorkflowId ? { backupWorkflowId: run.backupWorkflowId } : {}),
    ...(run.snapshot ? { snapshot: run.snapshot.name } : {}),
    ...(run.restoreWorkflowId ? { restoreWorkflowId: run.restoreWorkflowId } : {}),
  }));
}

/** The UI's current details while the drill runs: each step so far, and where to follow the restore. */
function showProgress(run: DrillRun): void {
  const { db, collection } = run.input;
  const steps = run.steps.runs.map((r) => {
    const took = r.durationMs === undefined ? '' : ` (${formatDuration(r.durationMs)})`;
    return `- ${r.name}: **${r.status}**${took}`;
  });
  const restore = run.restoreWorkflowId ? [`- restore progress: workflow \`${run.restoreWorkflowId}\``] : [];
  setCurrentDetails(
    [`**Drill** ${db}.${collection}: ${run.steps.current}`, '', ...steps, ...restore].join('\n'),
  );
}

/** Runs one step; a failure is recorded and ends the drill's steps (StepFailed), a cancellation passes. */
async function step<T>(
  run: DrillRun,
  name: DrillStepName,
  fn: () => Promise<T>,
  detail: (r: T) => string,
): Promise<T> {
  try {
    const shown = () => {
      showProgress(run);
      return fn();
    };
    return await run.steps.step(name, shown, detail);
  } catch (err) {
    // Only the drill's own cancellation ends it cancelled; a child cancelled from outside (an
    // operator in the UI) is a failed step, reported like any other.
    if (CancellationScope.current().consideredCancelled) throw err;
    throw new StepFailed(name);
  }
}

async function takeBackup(run: DrillRun): Promise<DrillSnapshot> {
  const { input } = run;
  const snapshot = input.snapshot ?? drillSnapshotName(input.collection, run.startedAt, run.unique);
  const childId = backupWorkflowId({ ...run.source, snapshot });
  run.backupWorkflowId = childId;
  const result: BackupResult = await executeChild(backupWorkflow, {
    workflowId: childId,
    args: [
      {
        ...onCluster(input.cluster),
        db: input.db,
        collection: input.collection,
        snapshot,
        description: `taken by DR drill ${run.workflowId}`,
        labels: { purpose: 'dr-drill' },
      },
    ],
  });
  return {
    name: result.snapshot,
    createTs: result.createTs,
    createdAt: iso(result.createTs),
    recordedRowCount: result.rowCount ?? null,
    madeByThisDrill: true,
  };
}

async function takeLatest(run: DrillRun): Promise<DrillSnapshot> {
  const latest = await findLatestVerifiedSnapshot(run.source);
  return {
    name: latest.snapshot,
    createTs: latest.createTs,
    createdAt: iso(latest.createTs),
    recordedRowCount: latest.rowCount,
    madeByThisDrill: false,
  };
}

/**
 * The cluster-loss drill's source: the newest snapshot in the catalog with an off-site bundle. A
 * bundle is self-contained, so one whose snapshot retention dropped since is still good.
 */
async function takeLatestBundle(run: DrillRun): Promise<DrillSnapshot> {
  const catalog = await readCatalog(run.source);
  const entry = catalog.entries.find((e) => e.export !== undefined);
  if (!entry?.export) {
    throw ApplicationFailure.nonRetryable(
      `no exported bundle of ${run.source.db}.${run.source.collection} in its catalog: export a verified snapshot first (backup with export, or the export command)`,
      FailureType.NoExportedBundle,
    );
  }
  run.bundle = { metadataUri: entry.export.metadataUri, profile: entry.export.profile };
  return {
    name: entry.snapshot,
    createTs: entry.createTs,
    createdAt: iso(entry.createTs),
    recordedRowCount: entry.rowCount,
    madeByThisDrill: false,
  };
}

function findSnapshot(run: DrillRun): Promise<DrillSnapshot> {
  if (run.input.source === 'bundle') {
    return step(
      run,
      'find-snapshot',
      () => takeLatestBundle(run),
      (s) => `newest exported bundle: snapshot ${s.name}`,
    );
  }
  return step(
    run,
    'find-snapshot',
    () => takeLatest(run),
    (s) => `newest verified snapshot ${s.name}`,
  );
}

/** Step 1: the snapshot to restore, made now, the newest verified one, or the newest exported one. */
async function pickSnapshot(run: DrillRun): Promise<DrillSnapshot> {
  const snapshot = await (run.input.source === 'backup'
    ? step(
        run,
        'backup',
        () => takeBackup(run),
        (s) => `snapshot ${s.name}, ${s.recordedRowCount ?? '?'} rows`,
      )
    : findSnapshot(run));
  run.snapshot = snapshot;
  searchableSnapshot(snapshot.name);
  return snapshot;
}

async function restoreScratch(run: DrillRun, snapshot: DrillSnapshot): Promise<RestoreResult> {
  const { cluster, ...target } = run.scratch;
  const restoreInput = {
    ...onCluster(cluster),
    ...(run.bundle ? { bundle: run.bundle } : {}),
    ...(run.bundle && snapshot.recordedRowCount !== null
      ? { verify: { expectedRowCount: snapshot.recordedRowCount } }
      : {}),
    snapshot: snapshot.name,
    sourceDb: run.input.db,
    sourceCollection: run.input.collection,
    targetDb: target.db,
    targetCollection: target.collection,
    timeout: run.durations.restoreTimeoutMs,
    pollInterval: run.durations.restorePollIntervalMs,
    onFailure: 'drop-target' as const,
  };
  const childId = restoreWorkflowId(restoreInput);
  run.restoreWorkflowId = childId;
  showProgress(run);
  return executeChild(restoreWorkflow, { workflowId: childId, args: [restoreInput] });
}

/** Step 3: compare the scratch collection with the source. */
function verifyScratch(run: DrillRun, expectedRowCount: number | null): Promise<CollectionComparison> {
  return step<CollectionComparison>(
    run,
    'verify',
    () =>
      compareScratchWithSource({
        source: run.source,
        scratch: run.scratch,
        expectedRowCount,
        sampleSize: run.input.sampleSize,
        maxKeysScanned: run.input.maxKeysScanned,
        seed: run.workflowId,
      }),
    (v) => (v.equal ? 'scratch matches' : 'scratch differs'),
  );
}

/** The scratch without its cluster: the dropped-collection drill runs on the default cluster. */
function scratchRef(run: DrillRun): CollectionRef {
  return { db: run.scratch.db, collection: run.scratch.collection };
}

/** The disaster on the scratch: a backup that pins its snapshot, then DropCollection (it cascades unpinned snapshots). */
async function protectAndDropScratch(run: DrillRun): Promise<void> {
  const scratch = scratchRef(run);
  const snapshot = drillSnapshotName(scratch.collection, Date.now(), run.unique);
  await step(
    run,
    'protect-scratch',
    () =>
      executeChild(backupWorkflow, {
        workflowId: backupWorkflowId({ ...scratch, snapshot }),
        args: [
          {
            ...scratch,
            snapshot,
            description: `taken by DR drill ${run.workflowId}`,
            labels: { purpose: 'dr-drill' },
            protect: { pinNewest: 1, pinTtl: '1d' },
          },
        ],
      }),
    (b) => `snapshot ${b.snapshot} pinned: ${b.protection?.pinned.join(', ') || 'none'}`,
  );
  await step(
    run,
    'drop-scratch',
    () => dropScratchCollection({ ...scratch, source: run.source }),
    (r) => (r.dropped ? `dropped ${scratch.collection}` : `${scratch.collection} was already gone`),
  );
}

/** Recovers the dropped scratch through its catalog, under its own name, and releases the pin. */
function recoverScratch(run: DrillRun): Promise<RecoverResult> {
  const poll = `${run.durations.restorePollIntervalMs}ms`;
  const input = {
    ...scratchRef(run),
    releasePin: true,
    timeout: `${run.durations.restoreTimeoutMs}ms`,
    pollInterval: poll,
    maxPollInterval: poll,
  };
  return step(
    run,
    'recover',
    () => executeChild(recoverWorkflow, { workflowId: recoverWorkflowId(input), args: [input] }),
    (r) =>
      `job ${r.jobId}, ${r.rowCount} rows from ${r.snapshot}, pin ${r.pinReleased ? 'released' : 'kept'}`,
  );
}

/**
 * Steps 1–3, measuring RPO (snapshot age at restore start) and RTO (restore start to verified; for
 * the dropped-collection disaster, recovery start to verified).
 */
async function drillSteps(run: DrillRun): Promise<void> {
  const snapshot = await pickSnapshot(run);
  let recoveryStartedAt = Date.now();
  // Clocks of Milvus and Temporal may disagree by a little; an age below zero means "just made".
  run.rpoMs = Math.max(0, recoveryStartedAt - snapshot.createTs);
  run.restored = await step(
    run,
    'restore',
    () => restoreScratch(run, snapshot),
    (r) => `job ${r.jobId}, ${r.verifiedRowCount} rows`,
  );
  if (run.input.disaster === 'dropped-collection') {
    run.droppedCollection = true;
    await protectAndDropScratch(run);
    recoveryStartedAt = Date.now();
    run.recovered = await recoverScratch(run);
  }
  run.verification = await verifyScratch(run, snapshot.recordedRowCount);
  run.rtoMs = Date.now() - recoveryStartedAt;
}

/**
 * The dropped-collection drill leaves no pin behind, marks the scratch's catalog entries dropped,
 * then closes that catalog (it now records nothing still needed; without it the catalog workflow
 * of every drill's scratch would run forever).
 */
async function releaseScratchCatalog(run: DrillRun): Promise<void> {
  const scratch = scratchRef(run);
  const catalog = await readCatalog(scratch);
  for (const entry of catalog.entries) {
    if (entry.pin) await releaseCatalogPin({ ...scratch, snapshot: entry.snapshot, pinId: entry.pin.id });
    if (entry.droppedAt === undefined)
      await recordCatalogChange({
        ...scratch,
        change: { kind: 'dropped', snapshot: entry.snapshot, at: Date.now() },
      });
  }
  await closeCatalog(scratch);
  run.scratchCatalogClosed = true;
}

/** Always, also after a failure or a cancellation: the scratch collection must not outlive the drill. */
function cleanUp(run: DrillRun): Promise<DropScratchResult | null> {
  const { scratch, source } = run;
  return CancellationScope.nonCancellable(() =>
    step<DropScratchResult>(
      run,
      'cleanup',
      async () => {
        const dropped = await dropScratchCollection({ ...scratch, source });
        if (run.droppedCollection) await releaseScratchCatalog(run);
        return dropped;
      },
      (r) =>
        (r.dropped
          ? `dropped ${scratch.collection}`
          : `${scratch.collection} already gone, nothing to drop`) +
        (run.scratchCatalogClosed ? ', its catalog closed' : ''),
    ).catch(() => null),
  );
}

function reportOf(run: DrillRun, cleanup: DropScratchResult | null): DrillReport {
  const { input, restored } = run;
  const disasterSteps: DrillStepName[] = run.droppedCollection
    ? ['protect-scratch', 'drop-scratch', 'recover']
    : [];
  const plannedSteps: DrillStepName[] = [firstStep(input), 'restore', ...disasterSteps, 'verify'];
  const skipped = plannedSteps
    .filter((name) => !run.steps.ran(name))
    .map((name): DrillStep => ({ name, status: 'skipped' }));
  const steps = run.steps.runs.map(drillStep);
  const finishedAt = Date.now();
  return buildDrillReport({
    workflowId: run.workflowId,
    runId: run.runId,
    db: input.db,
    collection: input.collection,
    source: input.source,
    ...(run.droppedCollection ? { disaster: 'dropped-collection' as const } : {}),
    ...(run.bundle ? { bundle: run.bundle } : {}),
    scratch: { ...run.scratch, dropped: cleanup !== null },
    snapshot: run.snapshot,
    restore: restored ? { jobId: restored.jobId, milvusTimeCostMs: restored.milvusTimeCostMs } : null,
    startedAt: iso(run.startedAt),
    finishedAt: iso(finishedAt),
    totalMs: finishedAt - run.startedAt,
    cancelled: run.cancellation !== undefined,
    steps: [
      ...steps.filter((s) => s.name !== 'cleanup'),
      ...skipped,
      ...steps.filter((s) => s.name === 'cleanup'),
    ],
    verification: run.verification,
    rtoMs: run.rtoMs,
    rpoMs: run.rpoMs,
    rtoObjectiveMs: run.durations.rtoObjectiveMs,
    rpoObjectiveMs: run.durations.rpoObjectiveMs,
  });
}

/**
 * A disaster-recovery drill: back up (or take the newest verified snapshot) → restore into a scratch
 * collection → verify it → measure RPO and RTO → always drop the scratch collection → report.
 * A failed drill completes with outcome 'fail' (the report is the result); a cancelled one cleans
 * up, records DrillResult=cancelled and ends cancelled.
 */
export async function drillWorkflow(raw: DrillInput): Promise<DrillReport> {
  const run = startRun(raw);
  installHandlers(run);
  searchableAs('drill', { db: run.input.db, collection: run.input.collection });
  try {
    await drillSteps(run);
  } catch (err) {
    if (isCancellation(err)) run.cancellation = err;
    else if (!(err instanceof StepFailed)) throw err;
  }
  const cleanup = await cleanUp(run);
  run.steps.enter('done');
  const report = reportOf(run, cleanup);
  recordOutcome(report);
  setCurrentDetails(renderDrillReport(report)); // the UI's workflow page shows the report rendered
  if (run.cancellation !== undefined) throw run.cancellation;
  return report;
}

/** Search attributes and memo, so drill history and the Temporal UI see every drill, failed ones too. */
function recordOutcome(report: DrillReport): void {
  const result = report.cancelled ? 'cancelled' : report.outcome;
  upsertSearchAttributes([
    { key: DRILL_RESULT, value: result },
    ...(report.rto.measuredMs !== null ? [{ key: DRILL_RTO_MS, value: report.rto.measuredMs }] : []),
    ...(report.rpo.measuredMs !== null ? [{ key: DRILL_RPO_MS, value: report.rpo.measuredMs }] : []),
  ]);
  upsertMemo({
    drill: {
      outcome: result,
      snapshot: report.snapshot?.name ?? null,
      rtoObjectiveMs: report.rto.objectiveMs,
      rpoObjectiveMs: report.rpo.objectiveMs,
      reasons: report.reasons.slice(0, 5),
    },
  });
}
