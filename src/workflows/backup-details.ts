import type { BackupProgress } from '../contracts/backup';

/** What the backup knows when its step changes. */
export interface BackupDetailsContext {
  db: string;
  collection: string;
  snapshot: string;
  flushTimeoutSeconds: number;
  /** Rows counted after the flush, once known. */
  rows?: number;
  exportProfile?: string;
  /** The catalog workflow the verified snapshot is recorded in. */
  catalogWorkflowId: string;
}

/** What the run waits for in each step: the Milvus calls (or Temporal ones) it is blocked on. */
function waitingFor(step: BackupProgress['step'], c: BackupDetailsContext): string | undefined {
  const coll = `${c.db}.${c.collection}`;
  switch (step) {
    case 'inspect':
      return `DescribeSnapshot: is \`${c.snapshot}\` already there?`;
    case 'flush':
      return `Milvus to flush ${coll}: Flush, then GetFlushState until the flush is done (gives up after ${c.flushTimeoutSeconds} s)`;
    case 'count':
      return `GetCollectionStatistics: the rows of ${coll}`;
    case 'create':
      return `CreateSnapshot \`${c.snapshot}\`${c.rows === undefined ? '' : ` (${c.rows} rows)`}`;
    case 'verify':
      return 'DescribeSnapshot and ListSnapshots: the snapshot is listed and its marker (run, rows, labels) matches';
    case 'restoreCount':
      return "a scratch restore of the snapshot, to count the rows it holds (Milvus's restore job)";
    case 'catalog':
      return `recording the verified snapshot in ${c.catalogWorkflowId}`;
    case 'protect':
      return 'PinSnapshotData for the newest verified snapshots, UnpinSnapshotData for rotated-out pins';
    case 'export':
      return `the export workflow: ExportSnapshot with profile "${c.exportProfile}"`;
    case 'compensating':
      return `DropSnapshot \`${c.snapshot}\` if this run made it`;
    default:
      return undefined;
  }
}

/**
 * The backup's "current details" in the Temporal UI (Markdown, re-read on every page view): what
 * it backs up, the step it is in and what that step waits for, so an operator watching a slow flush
 * needs no query; `ended` says how a failed or cancelled run ended, in that step. Pure: called
 * whenever the step changes.
 */
export function backupDetails(step: BackupProgress['step'], c: BackupDetailsContext, ended?: string): string {
  const waiting = ended ? undefined : waitingFor(step, c);
  return [
    `**Backup** \`${c.snapshot}\` of ${c.db}.${c.collection}`,
    '',
    `- step: **${step}**`,
    ...(ended ? [`- ended: ${ended}`] : []),
    ...(waiting ? [`- waiting for: ${waiting}`] : []),
    ...(c.rows === undefined ? [] : [`- rows after the flush: ${c.rows}`]),
  ].join('\n');
}
