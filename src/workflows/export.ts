import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StartedExport } from '../activities/export/start-export';
import type { CatalogEntry } from '../contracts/catalog';
import { durationMs } from '../contracts/input-fields';
import {
  exportInputSchema,
  exportJobProgressSignal,
  exportJobStartedSignal,
  exportProgressQuery,
  type ExportInput,
  type ExportParams,
  type ExportPhase,
  type ExportProgress,
  type ExportResult,
} from '../contracts/export';
import { FailureType } from '../contracts/failures';
import type { ExportJobInfo } from '../milvus/gateway';
import {
  EXPORT_STATE,
  MILVUS_COLLECTION,
  MILVUS_DB,
  MILVUS_SNAPSHOT,
  SNAPSHOT_OPERATION,
} from '../temporal/search-attributes';
import { surfaceActivityFailure } from './activity-failures';
import { HEARTBEAT_TIMEOUT } from './heartbeat-timeout';
import { parseWorkflowInput } from './parse-workflow-input';
import { DEADLINE_BOUNDED_RETRY, MILVUS_RETRY } from './retry-policies';
import { exportDetails } from './export-details';
import { StepTracker } from './steps';
import { DEADLINE_PASSED, withDeadline } from './with-deadline';

const { readCatalog, startOrAdoptExportJob, recordCatalogChange } = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

/** The wait is bounded by the workflow's own deadline timer; the activity timeout is a safety net. */
function waitForExportJobWithin(remainingMs: number) {
  return proxyActivities<Activities>({
    startToCloseTimeout: remainingMs + 60_000,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: DEADLINE_BOUNDED_RETRY,
  }).waitForExportJob;
}

interface ExportRun {
  params: ExportParams;
  steps: StepTracker<never, ExportPhase>;
  status: Omit<ExportProgress, 'phase'>;
  job?: StartedExport;
  published?: { state: string; progress: number };
}

function what(p: ExportParams): string {
  const cluster = p.cluster ? `${p.cluster}:` : '';
  return `snapshot "${p.snapshot}" of ${cluster}${p.db}.${p.collection} with profile "${p.profile}"`;
}

/** The UI's current details: re-rendered whenever the phase or the job's state or files change. */
function showDetails(run: ExportRun): void {
  setCurrentDetails(exportDetails(run.params, { phase: run.steps.current, ...run.status }));
}

function enter(run: ExportRun, phase: ExportPhase): void {
  run.steps.enter(phase);
  showDetails(run);
}

/** Search attributes are history events: upsert only when what the UI shows changes. */
function publish(run: ExportRun): void {
  showDetails(run);
  const state = run.status.state ?? 'Pending';
  const progress = run.status.progress;
  if (run.published?.state === state && run.published.progress === progress) return;
  run.published = { state, progress };
  upsertMemo({ exportState: state, exportProgress: progress });
  if (run.params.searchAttributes) upsertSearchAttributes([{ key: EXPORT_STATE, value: state }]);
}

function installHandlers(run: ExportRun): void {
  setHandler(exportProgressQuery, () => ({ phase: run.steps.current, ...run.status }));
  setHandler(exportJobProgressSignal, (update) => {
    if (run.steps.current !== 'waiting' || update.jobId !== run.status.jobId) return;
    Object.assign(run.status, {
      state: update.state,
      progress: update.progress,
      totalFiles: update.totalFiles,
      copiedFiles: update.copiedFiles,
      updatedAt: update.observedAt,
    });
    publish(run);
  });
  // Known before the start activity completes: a retry of it adopts this job instead of exporting again.
  setHandler(exportJobStartedSignal, ({ jobId }) => {
    run.status.jobId ??= jobId;
  });
}

function catalogRef(p: ExportParams) {
  return { ...(p.cluster ? { cluster: p.cluster } : {}), db: p.db, collection: p.collection };
}

function jobFailed(p: ExportParams, job: ExportJobInfo): ApplicationFailure {
  return ApplicationFailure.create({
    message: `Export job ${job.jobId} (${what(p)}) failed at ${job.progress}% (${job.copiedFiles}/${job.totalFiles} files): ${job.reason}. Nothing was recorded as an off-site copy; the partial bundle is left to the bucket's lifecycle rules.`,
    type: FailureType.ExportJobFailed,
    nonRetryable: true,
    details: [{ jobId: job.jobId, progress: job.progress, reason: job.reason }],
  });
}

function resultOf(
  run: ExportRun,
  job: ExportJobInfo,
  alreadyExported: boolean,
  completedAt: number,
): ExportResult {
  const p = run.params;
  return {
    ...(p.cluster ? { cluster: p.cluster } : {}),
    db: p.db,
    collection: p.collection,
    snapshot: p.snapshot,
    profile: p.profile,
    jobId: job.jobId,
    adopted: run.job?.adopted ?? false,
    alreadyExported,
    metadataUri: job.metadataUri,
    totalFiles: job.totalFiles,
    totalBytes: job.totalBytes,
    startedAt: run.status.startedAt,
    completedAt,
    milvusTimeCostMs: job.timeCostMs,
  };
}

/** An export of this snapshot with this profile the catalog already holds: not exported again. */
function recordedExport(run: ExportRun, entry: CatalogEntry | undefined): ExportResult | undefined {
  const exported = entry?.export;
  if (!exported || exported.profile !== run.params.profile) return undefined;
  const job = {
    jobId: exported.jobId,
    metadataUri: exported.metadataUri,
    totalFiles: exported.totalFiles,
    totalBytes: exported.totalBytes,
    timeCostMs: 0,
  } as ExportJobInfo;
  return resultOf(run, job, true, exported.completedAt);
}

async function exportSteps(run: ExportRun, deadline: number): Promise<ExportResult> {
  const p = run.params;
  const catalog = await readCatalog(catalogRef(p));
  const entry = catalog.entries.find((e) => e.snapshot === p.snapshot);
  const recorded = recordedExport(run, entry);
  if (recorded) return recorded;

  enter(run, 'starting');
  // Not cancellable: once ExportSnapshot may have been sent, learn its job id.
  const job = await CancellationScope.nonCancellable(() =>
    startOrAdoptExportJob({
      ...catalogRef(p),
      snapshot: p.snapshot,
      profile: p.profile,
      ...(run.status.jobId ? { recordedJobId: run.status.jobId } : {}),
    }),
  );
  run.job = job;
  Object.assign(run.status, {
    jobId: job.jobId,
    adopted: job.adopted,
    state: job.state,
    progress: job.progress,
  });
  upsertMemo({ exportJobId: job.jobId, exportJobAdopted: job.adopted });
  enter(run, 'waiting');
  publish(run);

  const final = await waitForExportJobWithin(deadline - Date.now())({
    ...(p.cluster ? { cluster: p.cluster } : {}),
    jobId: job.jobId,
    pollIntervalMs: durationMs(p.pollInterval),
    maxPollIntervalMs: durationMs(p.maxPollInterval),
    known: { state: run.status.state ?? job.state, progress: run.status.progress },
  });
  const completedAt = Date.now();
  Object.assign(run.status, {
    state: final.state,
    progress: final.progress,
    totalFiles: final.totalFiles,
    copiedFiles: final.copiedFiles,
    ...(final.totalBytes ? { totalBytes: final.totalBytes } : {}),
    reason: final.reason || undefined,
    updatedAt: completedAt,
  });
  publish(run);
  if (final.state === 'Failed') throw jobFailed(p, final);
  if (!final.metadataUri) {
    throw ApplicationFailure.create({
      message: `Export job ${final.jobId} (${what(p)}) completed without a bundle metadata URI; nothing was recorded.`,
      type: FailureType.ExportJobFailed,
      nonRetryable: true,
    });
  }

  enter(run, 'recording');
  const result = resultOf(run, final, false, completedAt);
  if (entry) {
    await recordCatalogChange({
      ...catalogRef(p),
      change: {
        kind: 'exported',
        snapshot: p.snapshot,
        export: {
          profile: p.profile,
          jobId: final.jobId,
          metadataUri: final.metadataUri,
          totalFiles: final.totalFiles,
          totalBytes: final.totalBytes,
          completedAt,
        },
      },
    });
  }
  return result;
}

function timedOut(run: ExportRun): ApplicationFailure {
  const s = run.status;
  const job = s.jobId ? ` (job ${s.jobId}: ${s.state ?? 'unknown'} at ${s.progress}%)` : '';
  return ApplicationFailure.create({
    message: `Export timed out: ${what(run.params)} did not finish within ${run.params.timeout}${job}. Nothing was recorded as an off-site copy.`,
    type: FailureType.ExportTimedOut,
    nonRetryable: true,
    details: [{ jobId: s.jobId, state: s.state, progress: s.progress }],
  });
}

/**
 * Exports a snapshot into an off-site bundle (the profile's target path and keys stay in the
 * worker): ExportSnapshot once (a job id an attempt recorded is adopted), a durable wait on the
 * job with its progress in a query and search attributes, then the bundle's metadata URI, files
 * and bytes into the collection's catalog. An export already in the catalog is not repeated.
 */
export async function exportWorkflow(input: ExportInput): Promise<ExportResult> {
  const params = parseWorkflowInput(exportInputSchema, input, 'export input');
  const startedAt = workflowInfo().startTime.getTime();
  const deadline = startedAt + durationMs(params.timeout);
  const run: ExportRun = {
    params,
    steps: new StepTracker<never, ExportPhase>('checking'),
    status: { progress: 0, startedAt },
  };
  installHandlers(run);
  showDetails(run);
  if (params.searchAttributes) {
    upsertSearchAttributes([
      { key: MILVUS_DB, value: params.db },
      { key: MILVUS_COLLECTION, value: params.collection },
      { key: MILVUS_SNAPSHOT, value: params.snapshot },
      { key: SNAPSHOT_OPERATION, value: 'export' },
    ]);
  }
  try {
    const result = await withDeadline(deadline - Date.now(), () => exportSteps(run, deadline));
    enter(run, 'completed');
    return result;
  } catch (err) {
    if (err === DEADLINE_PASSED) {
      enter(run, 'timed-out');
      throw timedOut(run);
    }
    enter(run, isCancellation(err) ? 'cancelled' : 'failed');
    if (err instanceof ActivityFailure) throw surfaceActivityFailure(err, `Export of ${what(params)} failed`);
    throw err;
  }
}
