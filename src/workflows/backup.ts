import { failureOf, innermostFailure, surfaceActivityFailure } from './activity-failures';
import { parseWorkflowInput } from './parse-workflow-input';
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  executeChild,
  isCancellation,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RunIdentity } from '../contracts/snapshot-marker';
import type { SnapshotVerification } from '../activities/backup/verify-snapshot';
import type { CollectionRef, SnapshotRef } from '../milvus/gateway';
import type { CatalogEntry } from '../contracts/catalog';
import {
  backupInputSchema,
  backupSnapshotName,
  compactionProtectionSeconds,
  flushTimeoutSeconds,
  type BackupInput,
  backupProgressQuery,
  type BackupProgress,
  type BackupResult,
  type BackupStep,
  type BackupStepDurations,
  type ParsedBackupInput,
} from '../contracts/backup';
import { COMPENSATION_RETRY, HEARTBEAT_TIMEOUT, MILVUS_RETRY } from './retry-policies';
import { FailureType } from '../contracts/failures';
import { searchableAs, StepTracker } from './steps';
import { exportWorkflow } from './export';
import { exportWorkflowId } from '../contracts/export';
import { catalogWorkflowId } from '../contracts/catalog';
import { backupDetails, type BackupDetailsContext } from './backup-details';

// Wait for completion even when cancelled: the compensation must run after the create, never beside it.
// Heartbeats let a new worker retry within seconds when this one dies mid-call.
const { createSnapshot } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/**
 * The short calls (describe, statistics, describe + list, the catalog record) as local activities:
 * they run in the worker inside the workflow task, without a round trip through the server each,
 * which was most of a backup's orchestration overhead (bench/backup-overhead.bench.ts). They cannot
 * heartbeat; a dead worker's calls are redone with its workflow task (each is a read or idempotent).
 * Flush and create stay activities (long waits; the create's heartbeat-driven takeover, see
 * docs/recovery.md).
 */
const localShort = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: MILVUS_RETRY,
});
const localVerify = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2m',
  retry: MILVUS_RETRY,
});

const { inspectSnapshot, countCollectionRows, recordCatalogChange } = localShort;
const { verifySnapshot } = localVerify;

const RESTORE_COUNT_TIMEOUT_SECONDS = 3600;
const { countSnapshotRows } = proxyActivities<Activities>({
  startToCloseTimeout: `${RESTORE_COUNT_TIMEOUT_SECONDS + 60}s`,
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

// The catalog lives in Temporal (a workflow per collection); protection pins through Milvus.
const { protectSnapshots } = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

const { dropSnapshotIfMadeByRun } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: COMPENSATION_RETRY,
});

function flushCollectionWithin(timeoutSeconds: number) {
  return proxyActivities<Activities>({
    startToCloseTimeout: `${timeoutSeconds + 60}s`,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: MILVUS_RETRY,
  }).flushCollection;
}

type BackupPhase = Exclude<BackupProgress['step'], BackupStep>;
type BackupSteps = StepTracker<BackupStep, BackupPhase>;

/**
 * Backup steps that show themselves in the UI's current details whenever the step changes, once
 * the run knows what it backs up. Setting the details issues no command: histories are unchanged.
 */
class ShownSteps extends StepTracker<BackupStep, BackupPhase> {
  context?: BackupDetailsContext;

  constructor() {
    super('starting');
  }

  /** `ended`: how a run that failed or was cancelled ended (in the current step). */
  show(ended?: string): void {
    if (this.context) setCurrentDetails(backupDetails(this.current, this.context, ended));
  }

  override enter(phase: BackupStep | BackupPhase): void {
    super.enter(phase);
    this.show();
  }

  override step<T>(name: BackupStep, fn: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
    return super.step(
      name,
      () => {
        this.show();
        return fn();
      },
      describe,
    );
  }
}

function finish(steps: BackupSteps): BackupStepDurations {
  steps.enter('done');
  return { inspect: 0, verify: 0, ...steps.durations(), total: Date.now() - steps.startedAt };
}

function resolveName(input: ParsedBackupInput, at: Date): string {
  try {
    return backupSnapshotName(input, at);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(
      err instanceof Error ? err.message : String(err),
      FailureType.InvalidInput,
    );
  }
}

async function labelled<T>(step: string, run: () => Promise<T>, local = false): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw surfaceActivityFailure(err, step, local);
  }
}

/** Drops the snapshot when (and only when) this run made it; never cancelled, retried hard. */
async function compensate(
  ref: SnapshotRef,
  run: RunIdentity,
  why: string,
  steps: BackupSteps,
): Promise<string> {
  steps.enter('compensating');
  try {
    const result = await CancellationScope.nonCancellable(() => dropSnapshotIfMadeByRun({ ...ref, run }));
    log.warn('backup compensation', { snapshot: ref.snapshot, why, ...result });
    return result.dropped ? 'the snapshot was dropped' : `nothing was dropped (${result.reason})`;
  } catch (err) {
    const message =
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw ApplicationFailure.nonRetryable(
      `${why}; and dropping snapshot ${ref.snapshot} failed, it may remain: ${message}`,
      FailureType.CompensationFailed,
    );
  }
}

function rowMismatch(restored: number, expected: number, flushed: boolean): string {
  const base = `the snapshot holds ${restored} rows (counted in a scratch restore) but the collection had ${expected} when it was taken`;
  if (flushed || restored > expected) return base;
  return `${base}: ${expected - restored} rows were not flushed, and without flush a snapshot holds only flushed data`;
}

/**
 * A verified snapshot goes into the collection's catalog (where it is found after a DropCollection),
 * then, with `protect`, the newest ones are pinned. The snapshot is good by now: a failure here
 * fails the run but never drops it.
 */
async function catalogAndProtect(
  ref: SnapshotRef,
  verification: SnapshotVerification,
  rowCount: number | undefined,
  input: ParsedBackupInput,
  steps: BackupSteps,
): Promise<Pick<BackupResult, 'metadataUri' | 'protection'>> {
  const info = workflowInfo();
  // With the cluster (when named): protection pins there, and the entry records it for recovery.
  const { snapshot: _snapshot, ...collection } = ref;
  const entry: CatalogEntry = {
    ...ref,
    createTs: verification.info.createTs,
    rowCount: rowCount ?? null,
    metadataUri: verification.info.s3Location,
    verifiedAt: Date.now(),
    recordedBy: { workflowId: info.workflowId, runId: info.runId },
  };
  // The catalog record (one signalWithStart to Temporal, idempotent: a repeated change changes
  // nothing) is a local activity, in the workflow task that verified the snapshot.
  await steps.step('catalog', () =>
    labelled(
      'recordCatalogChange',
      () => recordCatalogChange({ ...collection, change: { kind: 'verified', entry } }),
      true,
    ),
  );
  const policy = input.protect;
  if (!policy) return { metadataUri: entry.metadataUri };
  const protection = await steps.step('protect', () =>
    labelled('protectSnapshots', () => protectSnapshots({ ...collection, policy })),
  );
  return { metadataUri: entry.metadataUri, protection };
}

function toResult(
  ref: SnapshotRef,
  verification: SnapshotVerification,
  extra: Pick<
    BackupResult,
    'rowCount' | 'restoredRowCount' | 'flushed' | 'reused' | 'labels' | 'metadataUri' | 'protection'
  >,
  steps: BackupSteps,
): BackupResult {
  return {
    snapshot: ref.snapshot,
    db: ref.db,
    collection: ref.collection,
    createTs: verification.info.createTs,
    createdAt: new Date(verification.info.createTs).toISOString(),
    description: verification.info.description,
    checks: verification.checks,
    ...extra,
    durationsMs: finish(steps),
  };
}

/**
 * The scratch restore runs to its end even when the run is cancelled: cut short, its restore job
 * would go on creating the scratch collection (and pinning the snapshot) with nobody to drop them.
 * The cancellation takes effect right after.
 */
async function restoreCount(ref: SnapshotRef, steps: BackupSteps): Promise<number> {
  const counted = await steps.step('restoreCount', () =>
    labelled('countSnapshotRows', () =>
      CancellationScope.nonCancellable(() =>
        countSnapshotRows({ ...ref, timeoutSeconds: RESTORE_COUNT_TIMEOUT_SECONDS }),
      ),
    ),
  );
  if (CancellationScope.current().consideredCancelled) {
    throw new CancelledFailure('backup cancelled during the scratch restore count');
  }
  return counted.rows;
}

/** ifExists 'reuse': verify the snapshot that is there; it is not ours to drop if it fails. */
async function verifyExisting(
  ref: SnapshotRef,
  input: ParsedBackupInput,
  steps: BackupSteps,
): Promise<BackupResult> {
  const verification = await steps.step('verify', () =>
    labelled('verifySnapshot', () => verifySnapshot(ref), true),
  );
  const problems = [...verification.problems];
  const recordedRows = verification.marker?.rows;
  let restoredRowCount: number | undefined;
  if (input.verifyRowsByRestore) {
    restoredRowCount = await restoreCount(ref, steps);
    if (recordedRows !== undefined && restoredRowCount !== recordedRows) {
      problems.push(`the snapshot holds ${restoredRowCount} rows but its marker records ${recordedRows}`);
    }
  }
  if (problems.length) {
    throw ApplicationFailure.nonRetryable(
      `existing snapshot ${ref.snapshot} failed verification (left in place: this run did not make it): ${problems.join('; ')}`,
      FailureType.SnapshotVerificationFailed,
      { problems },
    );
  }
  const rowCount = recordedRows ?? restoredRowCount;
  const recorded = await catalogAndProtect(ref, verification, rowCount, input, steps);
  return toResult(
    ref,
    verification,
    {
      rowCount,
      restoredRowCount,
      flushed: verification.marker?.flushed ?? false,
      reused: true,
      labels: verification.marker?.labels ?? {},
      ...recorded,
    },
    steps,
  );
}

/**
 * Backup: flush (and wait for it), create the snapshot, verify it; a snapshot that fails
 * verification, or whose run is cancelled, is dropped again. Idempotent per (db, collection,
 * snapshot): the workflow ID carries them, and a retried create recognises its own snapshot.
 */
export async function backupWorkflow(rawInput: BackupInput): Promise<BackupResult> {
  const steps = new ShownSteps();
  try {
    return await runBackup(rawInput, steps);
  } catch (err) {
    steps.show(isCancellation(err) ? 'cancelled' : `failed: ${failureOf(err).message}`);
    throw err;
  }
}

async function runBackup(rawInput: BackupInput, steps: ShownSteps): Promise<BackupResult> {
  let snapshot: string | undefined;
  setHandler(backupProgressQuery, () => ({
    snapshot,
    step: steps.current,
    durationsMs: steps.durations(),
  }));
  const info = workflowInfo();
  const input = parseWorkflowInput(backupInputSchema, rawInput, 'backup input');
  snapshot = resolveName(input, info.runStartTime);
  // Every activity input carries the cluster the backup names (the worker's default when none).
  const cluster = input.cluster ? { cluster: input.cluster } : {};
  const ref: SnapshotRef = { ...cluster, db: input.db, collection: input.collection, snapshot };
  const collection: CollectionRef = { ...cluster, db: ref.db, collection: ref.collection };
  const run: RunIdentity = { workflowId: info.workflowId, runId: info.runId };
  steps.context = {
    ...collection,
    snapshot,
    flushTimeoutSeconds: flushTimeoutSeconds(input),
    exportProfile: input.export?.profile,
    catalogWorkflowId: catalogWorkflowId(collection),
  };
  steps.show();
  searchableAs('backup', ref);

  const existing = await steps.step('inspect', () =>
    labelled('inspectSnapshot', () => inspectSnapshot(ref), true),
  );
  if (existing.exists && input.ifExists === 'reuse') {
    return exportStep(input, ref, steps, await verifyExisting(ref, input, steps));
  }
  if (existing.exists) {
    throw ApplicationFailure.nonRetryable(
      `snapshot ${ref.snapshot} of ${ref.db}.${ref.collection} already exists (created ${new Date(existing.info.createTs).toISOString()}); nothing was created. Use ifExists 'reuse' to verify it instead, or another name`,
      FailureType.SnapshotAlreadyExists,
    );
  }

  if (input.flush) {
    const flushCollection = flushCollectionWithin(flushTimeoutSeconds(input));
    await steps.step('flush', () =>
      labelled('flushCollection', () =>
        flushCollection({ ...collection, timeoutSeconds: flushTimeoutSeconds(input) }),
      ),
    );
  }
  const { rows } = await steps.step('count', () =>
    labelled('countCollectionRows', () => countCollectionRows(collection), true),
  );
  steps.context.rows = rows;

  let verification: SnapshotVerification;
  let restoredRowCount: number | undefined;
  try {
    await steps.step('create', () =>
      labelled('createSnapshot', () =>
        createSnapshot({
          ...ref,
          description: input.description,
          labels: input.labels,
          rows,
          flushed: input.flush,
          compactionProtectionSeconds: compactionProtectionSeconds(input),
          run,
        }),
      ),
    );
    verification = await steps.step('verify', () =>
      labelled(
        'verifySnapshot',
        () =>
          verifySnapshot({
            ...ref,
            run,
            expectedRows: rows,
            expectedLabels: input.labels,
          }),
        true,
      ),
    );
    if (input.verifyRowsByRestore) restoredRowCount = await restoreCount(ref, steps);
  } catch (err) {
    // Failed or cancelled after the create may have happened: remove what this run made.
    const why = isCancellation(err)
      ? 'the backup was cancelled'
      : err instanceof Error
        ? err.message
        : String(err);
    await compensate(ref, run, why, steps);
    throw err;
  }

  const problems = [...verification.problems];
  if (restoredRowCount !== undefined && restoredRowCount !== rows) {
    problems.push(rowMismatch(restoredRowCount, rows, input.flush));
  }
  if (problems.length) {
    const why = `snapshot ${ref.snapshot} failed verification: ${problems.join('; ')}`;
    const outcome = await compensate(ref, run, why, steps);
    throw ApplicationFailure.nonRetryable(`${why}; ${outcome}`, FailureType.SnapshotVerificationFailed, {
      problems,
    });
  }
  const recorded = await catalogAndProtect(ref, verification, rows, input, steps);
  const result = toResult(
    ref,
    verification,
    {
      rowCount: rows,
      restoredRowCount,
      flushed: input.flush,
      reused: false,
      labels: input.labels,
      ...recorded,
    },
    steps,
  );
  return exportStep(input, ref, steps, result);
}

/**
 * The optional last step: the verified snapshot goes off-site as a child export workflow (its own
 * progress in the UI; an export already in the catalog is not repeated). The snapshot stays
 * whatever the export does: a failed export fails the backup, saying the snapshot was kept.
 */
async function exportStep(
  input: ParsedBackupInput,
  ref: SnapshotRef & { cluster?: string },
  steps: BackupSteps,
  result: BackupResult,
): Promise<BackupResult> {
  if (!input.export) return result;
  const exportInput = {
    ...(ref.cluster ? { cluster: ref.cluster } : {}),
    db: ref.db,
    collection: ref.collection,
    snapshot: ref.snapshot,
    profile: input.export.profile,
    timeout: input.export.timeout,
  };
  try {
    const exported = await steps.step('export', () =>
      executeChild(exportWorkflow, { workflowId: exportWorkflowId(exportInput), args: [exportInput] }),
    );
    const { profile, jobId, metadataUri, totalFiles, totalBytes, alreadyExported } = exported;
    return {
      ...result,
      export: { profile, jobId, metadataUri, totalFiles, totalBytes, alreadyExported },
      durationsMs: finish(steps),
    };
  } catch (err) {
    if (isCancellation(err)) throw err;
    const cause = innermostFailure(err);
    throw ApplicationFailure.create({
      message: `snapshot ${ref.snapshot} was created and verified (kept), but its export with profile "${input.export.profile}" failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      type: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined,
      nonRetryable: true,
      details: [result],
    });
  }
}
