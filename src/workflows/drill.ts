import { innermostFailure } from './activity-failures';
import { parseWorkflowInput } from './parse-workflow-input';
import {
  CancellationScope,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CollectionComparison } from '../drill/compare';
import type { DropScratchResult } from '../activities/drill/drop-scratch-collection';
import {
  buildDrillReport,
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
  type DrillProgress,
} from '../contracts/drill';
import { restoreWorkflowId, type RestoreResult } from '../contracts/restore';
import {
  DRILL_RESULT,
  DRILL_RPO_MS,
  DRILL_RTO_MS,
  MILVUS_COLLECTION,
  MILVUS_DB,
  MILVUS_SNAPSHOT,
  SNAPSHOT_OPERATION,
} from '../temporal/search-attributes';
import { backupWorkflow } from './backup';
import { restoreWorkflow } from './restore';
import { COMPENSATION_RETRY, MILVUS_RETRY } from './retry-policies';
import { HEARTBEAT_TIMEOUT } from './heartbeat-timeout';

const { findLatestVerifiedSnapshot, compareScratchWithSource } = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

// Cleanup tries harder and longer: a scratch collection left behind costs memory and confuses people.
const { dropScratchCollection } = proxyActivities<Activities>({
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

/**
 * A disaster-recovery drill: back up (or take the newest verified snapshot) → restore into a scratch
 * collection → verify it → measure RPO and RTO → always drop the scratch collection → report.
 * A failed drill completes with outcome 'fail' (the report is the result); a cancelled one cleans
 * up, records DrillResult=cancelled and ends cancelled.
 */
export async function drillWorkflow(raw: DrillInput): Promise<DrillReport> {
  const input = parseWorkflowInput(drillInputSchema, raw, 'drill input');
  const durations = drillDurationsMs(input);
  const info = workflowInfo();
  const startedAt = Date.now();
  const unique = uuid4().replace(/-/g, '');
  const source = { db: input.db, collection: input.collection };
  const scratch = {
    db: input.scratchDb ?? input.db,
    collection: scratchCollectionName(input.collection, unique),
  };
  const steps: DrillStep[] = [];
  const progress: DrillProgress = {
    step: input.source === 'backup' ? 'backup' : 'find-snapshot',
    scratch,
    steps,
  };
  setHandler(drillProgressQuery, () => progress);
  upsertSearchAttributes([
    { key: SNAPSHOT_OPERATION, value: 'drill' },
    { key: MILVUS_DB, value: input.db },
    { key: MILVUS_COLLECTION, value: input.collection },
  ]);

  async function step<T>(name: DrillStepName, run: () => Promise<T>, detail: (r: T) => string): Promise<T> {
    progress.step = name;
    const began = Date.now();
    const record: DrillStep = { name, status: 'running', startedAt: iso(began) };
    steps.push(record);
    try {
      const result = await run();
      Object.assign(record, { status: 'ok', durationMs: Date.now() - began, detail: detail(result) });
      return result;
    } catch (err) {
      const status = isCancellation(err) ? 'cancelled' : 'failed';
      Object.assign(record, { status, durationMs: Date.now() - began, error: failureMessage(err) });
      // Only the drill's own cancellation ends it cancelled; a child cancelled from outside (an
      // operator in the UI) is a failed step, reported like any other.
      if (CancellationScope.current().consideredCancelled) throw err;
      throw new StepFailed(name);
    }
  }

  async function takeBackup(): Promise<DrillSnapshot> {
    const snapshot = input.snapshot ?? drillSnapshotName(input.collection, startedAt, unique);
    const childId = backupWorkflowId({ db: input.db, collection: input.collection, snapshot });
    progress.backupWorkflowId = childId;
    const result: BackupResult = await executeChild(backupWorkflow, {
      workflowId: childId,
      args: [
        {
          db: input.db,
          collection: input.collection,
          snapshot,
          description: `taken by DR drill ${info.workflowId}`,
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

  async function takeLatest(): Promise<DrillSnapshot> {
    const latest = await findLatestVerifiedSnapshot(source);
    return {
      name: latest.snapshot,
      createTs: latest.createTs,
      createdAt: iso(latest.createTs),
      recordedRowCount: latest.rowCount,
      madeByThisDrill: false,
    };
  }

  async function restore(snapshot: DrillSnapshot): Promise<RestoreResult> {
    const restoreInput = {
      snapshot: snapshot.name,
      sourceDb: input.db,
      sourceCollection: input.collection,
      targetDb: scratch.db,
      targetCollection: scratch.collection,
      timeout: durations.restoreTimeoutMs,
      pollInterval: durations.restorePollIntervalMs,
      onFailure: 'drop-target' as const,
    };
    const childId = restoreWorkflowId(restoreInput);
    progress.restoreWorkflowId = childId;
    return executeChild(restoreWorkflow, { workflowId: childId, args: [restoreInput] });
  }

  let snapshot: DrillSnapshot | null = null;
  let restored: RestoreResult | null = null;
  let verification: CollectionComparison | null = null;
  let rtoMs: number | null = null;
  let rpoMs: number | null = null;
  let cancellation: unknown;
  try {
    snapshot = await (input.source === 'backup'
      ? step('backup', takeBackup, (s) => `snapshot ${s.name}, ${s.recordedRowCount ?? '?'} rows`)
      : step('find-snapshot', takeLatest, (s) => `newest verified snapshot ${s.name}`));
    progress.snapshot = snapshot.name;
    upsertSearchAttributes([{ key: MILVUS_SNAPSHOT, value: snapshot.name }]);
    const restoreStartedAt = Date.now();
    // Clocks of Milvus and Temporal may disagree by a little; an age below zero means "just made".
    rpoMs = Math.max(0, restoreStartedAt - snapshot.createTs);
    const taken = snapshot;
    restored = await step(
      'restore',
      () => restore(taken),
      (r) => `job ${r.jobId}, ${r.verifiedRowCount} rows`,
    );
    const expectedRowCount = snapshot.recordedRowCount;
    verification = await step<CollectionComparison>(
      'verify',
      () =>
        compareScratchWithSource({
          source,
          scratch,
          expectedRowCount,
          sampleSize: input.sampleSize,
          maxKeysScanned: input.maxKeysScanned,
          seed: info.workflowId,
        }),
      (v) => (v.equal ? 'scratch matches' : 'scratch differs'),
    );
    rtoMs = Date.now() - restoreStartedAt;
  } catch (err) {
    if (isCancellation(err)) cancellation = err;
    else if (!(err instanceof StepFailed)) throw err;
  }

  // Always, also after a failure or a cancellation: the scratch collection must not outlive the drill.
  const cleanup = await CancellationScope.nonCancellable(() =>
    step<DropScratchResult>(
      'cleanup',
      () => dropScratchCollection({ ...scratch, source }),
      (r) =>
        r.dropped ? `dropped ${scratch.collection}` : `${scratch.collection} already gone, nothing to drop`,
    ).catch(() => null),
  );
  progress.step = 'done';

  const plannedSteps: DrillStepName[] = [
    input.source === 'backup' ? 'backup' : 'find-snapshot',
    'restore',
    'verify',
  ];
  const skipped = plannedSteps
    .filter((name) => !steps.some((s) => s.name === name))
    .map((name): DrillStep => ({ name, status: 'skipped' }));
  const finishedAt = Date.now();
  const report = buildDrillReport({
    workflowId: info.workflowId,
    runId: info.runId,
    db: input.db,
    collection: input.collection,
    source: input.source,
    scratch: { ...scratch, dropped: cleanup !== null },
    snapshot,
    restore: restored ? { jobId: restored.jobId, milvusTimeCostMs: restored.milvusTimeCostMs } : null,
    startedAt: iso(startedAt),
    finishedAt: iso(finishedAt),
    totalMs: finishedAt - startedAt,
    cancelled: cancellation !== undefined,
    steps: [
      ...steps.filter((s) => s.name !== 'cleanup'),
      ...skipped,
      ...steps.filter((s) => s.name === 'cleanup'),
    ],
    verification,
    rtoMs,
    rpoMs,
    rtoObjectiveMs: durations.rtoObjectiveMs,
    rpoObjectiveMs: durations.rpoObjectiveMs,
  });
  recordOutcome(report);
  if (cancellation !== undefined) throw cancellation;
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
