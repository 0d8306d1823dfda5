import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StartedExport } from '../activities/export';
import type { CatalogEntry } from '../contracts/catalog';
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
import { EXPORT_STATE } from '../temporal/search-attributes';
import { surfaceActivityFailure } from './activity-failures';
import { runUntilDeadline, startAndWait } from './milvus-job';
import { parseWorkflowInput } from './parse-workflow-input';
import { HEARTBEAT_TIMEOUT, MILVUS_RETRY } from './retry-policies';
import { searchableAs, StepTracker } from './steps';

const { readCatalog, startOrAdoptExportJob, recordCatalogChange } = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

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

/**
 * The export's "current details" in the Temporal UI (Markdown, re-read on every page view): what it
 * exports, its phase, Milvus's job state and %, and the files copied as Milvus last reported them
 * (snapshot_export_manager.go executeJob: total_files once the plan is persisted, copied_files per
 * checkpoint of 256 files, total_bytes only when the job completes). Pure.
 */
function exportDetails(p: ExportParams, s: ExportProgress): string {
  const cluster = p.cluster ? `${p.cluster}:` : '';
  const job = s.jobId ? `job ${s.jobId}${s.adopted ? ' (adopted)' : ''}` : 'no job yet';
  const updated = s.updatedAt ? `, as of ${new Date(s.updatedAt).toISOString()}` : '';
  const files = s.totalFiles ? [`- files copied: ${s.copiedFiles ?? 0} of ${s.totalFiles}`] : [];
  const bytes = s.totalBytes ? [`- bundle: ${s.totalBytes} bytes`] : [];
  return [
    `**Export** \`${p.snapshot}\` of ${cluster}${p.db}.${p.collection} with profile \`${p.profile}\``,
    '',
    `- phase: **${s.phase}**`,
    `- Milvus ${job}: **${s.state ?? 'not started'}**, ${s.progress} %${updated}`,
    ...files,
    ...bytes,
    ...(s.reason ? [`- reason: ${s.reason}`] : []),
  ].join('\n');
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
  const { final } = await startAndWait({
    deadline,
    polling: p,
    status: run.status,
    start: () =>
      startOrAdoptExportJob({
        ...catalogRef(p),
        snapshot: p.snapshot,
        profile: p.profile,
        ...(run.status.jobId ? { recordedJobId: run.status.jobId } : {}),
      }),
    started: (job) => {
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
    },
    wait: (waits, wait) => waits.waitForExportJob({ ...(p.cluster ? { cluster: p.cluster } : {}), ...wait }),
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

function timedOutFailure(run: ExportRun): ApplicationFailure {
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
  const run: ExportRun = {
    params,
    steps: new StepTracker<never, ExportPhase>('checking'),
    status: { progress: 0, startedAt: workflowInfo().startTime.getTime() },
  };
  installHandlers(run);
  showDetails(run);
  if (params.searchAttributes) searchableAs('export', params);
  return runUntilDeadline(params.timeout, (deadline) => exportSteps(run, deadline), {
    completed: () => enter(run, 'completed'),
    failed: (err, timedOut) => {
      if (timedOut) {
        enter(run, 'timed-out');
        return timedOutFailure(run);
      }
      enter(run, isCancellation(err) ? 'cancelled' : 'failed');
      if (err instanceof ActivityFailure)
        return surfaceActivityFailure(err, `Export of ${what(params)} failed`);
      return err;
    },
  });
}
