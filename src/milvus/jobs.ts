import type { ExportJobInfo, RestoreJobInfo, RestoreState } from './gateway';

/**
 * The one place that says what a restore job's state means. Milvus reports RestoreSnapshotState
 * None, Pending, Executing, Completed, Failed: internal/datacoord/snapshot_manager.go,
 * snapshotManager.convertJobState, maps the copy-segment job's state onto these, any other job
 * state reading as None. Pure, so workflows may import it too.
 */

/** Completed or Failed: the job will not write into its target any more. */
export function isRestoreJobFinished(state: RestoreState): boolean {
  return state === 'Completed' || state === 'Failed';
}

/** Pending or Executing: the job is scheduled or writing, and still reads its snapshot. */
export function isRestoreJobRunning(state: string): boolean {
  return state === 'Pending' || state === 'Executing';
}

const JOB_STATES: readonly RestoreState[] = ['None', 'Pending', 'Executing', 'Completed', 'Failed'];

/**
 * The fields RestoreSnapshotInfo and ExportSnapshotInfo share, as the SDK or the carried proto
 * decodes them (int64 as strings or numbers, enums by name).
 */
export interface RawJobInfo {
  job_id?: string | number;
  snapshot_name?: string;
  db_name?: string;
  collection_name?: string;
  state?: unknown;
  progress?: number | string;
  reason?: string;
  start_time?: string | number;
  time_cost?: string | number;
}

/**
 * A job state enum by name ("RestoreSnapshotCompleted", "ExportSnapshotCompleted": `prefix` +
 * state) or by number → "Completed"; anything else reads as None.
 */
export function jobStateOf(state: unknown, prefix: string): RestoreState {
  if (typeof state === 'number') return JOB_STATES[state] ?? 'None';
  const text = String(state);
  const name = text.startsWith(prefix) ? text.slice(prefix.length) : text;
  return (JOB_STATES as readonly string[]).includes(name) ? (name as RestoreState) : 'None';
}

/** The shared fields of a restore or export job; `prefix` names its state enum. */
export function toJobInfo(info: RawJobInfo, prefix: string): RestoreJobInfo {
  return {
    jobId: String(info.job_id ?? '0'),
    snapshot: info.snapshot_name ?? '',
    db: info.db_name ?? '',
    collection: info.collection_name ?? '',
    state: jobStateOf(info.state, prefix),
    progress: Number(info.progress ?? 0),
    reason: info.reason ?? '',
    // DataCoord fills start_time with StartTs/1e6 and time_cost in ms (snapshot_manager.go).
    startTime: Number(info.start_time ?? 0),
    timeCostMs: Number(info.time_cost ?? 0),
  };
}

/** ExportSnapshotInfo as the carried proto decodes it: the shared job fields and the bundle's. */
export interface RawExportInfo extends RawJobInfo {
  total_files?: string | number;
  copied_files?: string | number;
  snapshot_metadata_uri?: string;
  total_bytes?: string | number;
}

/**
 * snapshot_export_manager.go GetJobInfo: start_time epoch ms, time_cost ms until now or the end,
 * snapshot_metadata_uri only once Completed.
 */
export function toExportJob(info: RawExportInfo): ExportJobInfo {
  const job = toJobInfo(info, 'ExportSnapshot');
  return {
    ...job,
    totalFiles: Number(info.total_files ?? 0),
    copiedFiles: Number(info.copied_files ?? 0),
    metadataUri: job.state === 'Completed' ? (info.snapshot_metadata_uri ?? '') : '',
    totalBytes: Number(info.total_bytes ?? 0),
  };
}
