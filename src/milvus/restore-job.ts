import type { RestoreState } from './gateway';

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
