import type { RestoreJobInfo, RestoreState } from './gateway';

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
