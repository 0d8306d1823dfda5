import type { ExportJobInfo, ExportState } from './gateway';

const EXPORT_STATES: readonly ExportState[] = ['None', 'Pending', 'Executing', 'Completed', 'Failed'];

/** ExportSnapshotInfo as the carried proto decodes it (int64 as strings, enums by name). */
export interface RawExportInfo {
  job_id?: string | number;
  snapshot_name?: string;
  db_name?: string;
  collection_name?: string;
  state?: unknown;
  progress?: number | string;
  reason?: string;
  start_time?: string | number;
  time_cost?: string | number;
  total_files?: string | number;
  copied_files?: string | number;
  snapshot_metadata_uri?: string;
  total_bytes?: string | number;
}

/** "ExportSnapshotCompleted" (or its number) → "Completed". */
function toExportState(state: unknown): ExportState {
  if (typeof state === 'number') return EXPORT_STATES[state] ?? 'None';
  const name = String(state).replace(/^ExportSnapshot/, '');
  return (EXPORT_STATES as readonly string[]).includes(name) ? (name as ExportState) : 'None';
}

/**
 * snapshot_export_manager.go GetJobInfo: start_time epoch ms, time_cost ms until now or the end,
 * snapshot_metadata_uri only once Completed.
 */
export function toExportJob(info: RawExportInfo): ExportJobInfo {
  const state = toExportState(info.state);
  return {
    jobId: String(info.job_id ?? '0'),
    snapshot: info.snapshot_name ?? '',
    db: info.db_name ?? '',
    collection: info.collection_name ?? '',
    state,
    progress: Number(info.progress ?? 0),
    reason: info.reason ?? '',
    startTime: Number(info.start_time ?? 0),
    timeCostMs: Number(info.time_cost ?? 0),
    totalFiles: Number(info.total_files ?? 0),
    copiedFiles: Number(info.copied_files ?? 0),
    metadataUri: state === 'Completed' ? (info.snapshot_metadata_uri ?? '') : '',
    totalBytes: Number(info.total_bytes ?? 0),
  };
}
