import { ApplicationFailure, isCancellation, metricMeter } from '@temporalio/workflow';
import { operationOfWorkflowType } from '../contracts/operation';
import type { BackupResult } from '../contracts/backup';
import type { DrillReport } from '../drill/report';
import {
  DRILL_PASSED_METRIC,
  DRILL_RPO_METRIC,
  DRILL_RTO_METRIC,
  DRILL_TIMESTAMP_METRIC,
  DRILLS_METRIC,
  FAILURES_METRIC,
  LAST_VERIFIED_BACKUP_METRIC,
  OPERATION_DURATION_METRIC,
  RETENTION_DROPS_METRIC,
} from '../temporal/metric-names';
import { innermostFailure } from './activity-failures';

/**
 * The project's metrics, recorded from workflow code through the SDK's workflow metric meter: the
 * SDK drops them during replay, so each run counts once however often it is replayed, and they are
 * served with Temporal's own metrics on the worker's Prometheus endpoint. Gauges hold the newest
 * value this worker saw; with several workers, alert on `max by (db, collection)`.
 */

// Created per use: the workflow meter only works inside a workflow context, not at module load.
const operationDuration = () =>
  metricMeter.createHistogram(
    OPERATION_DURATION_METRIC,
    'float',
    's',
    'Duration of one backup, restore, retention, drill or export run (workflow start to end), by outcome',
  );
const failures = () =>
  metricMeter.createCounter(
    FAILURES_METRIC,
    '',
    'Failed runs by operation and failure type (the FailureType, or the Milvus error kind)',
  );
const lastVerifiedBackup = () =>
  metricMeter.createGauge(
    LAST_VERIFIED_BACKUP_METRIC,
    'float',
    's',
    'When the newest verified backup of the collection completed (Unix time)',
  );
const retentionDrops = () =>
  metricMeter.createCounter(RETENTION_DROPS_METRIC, '', 'Snapshots dropped by retention');
const drills = () => metricMeter.createCounter(DRILLS_METRIC, '', 'Finished drills by outcome');
const drillGauge = (name: string, description: string) =>
  metricMeter.createGauge(name, 'float', name === DRILL_PASSED_METRIC ? '' : 's', description);

export type RunOutcome = 'success' | 'failure' | 'cancelled';

/** "backupWorkflow" → "backup": the operation label of a workflow type (its descriptor's name). */
export function operationOf(workflowType: string): string {
  return operationOfWorkflowType(workflowType) ?? workflowType.replace(/Workflow$/, '');
}

function seconds(ms: number): number {
  return ms / 1000;
}

export function recordDuration(operation: string, outcome: RunOutcome, durationMs: number): void {
  operationDuration().record(seconds(Math.max(durationMs, 0)), { operation, outcome });
}

/** The failure's type: the workflow's own ApplicationFailure type, else the innermost cause's. */
export function failureTypeOf(err: unknown): string {
  if (isCancellation(err)) return 'Cancelled';
  if (err instanceof ApplicationFailure && err.type) return err.type;
  const cause = innermostFailure(err);
  if (cause instanceof ApplicationFailure && cause.type) return cause.type;
  return cause instanceof Error ? cause.name : 'Error';
}

export function recordFailure(operation: string, err: unknown): void {
  failures().add(1, { operation, failure_type: failureTypeOf(err) });
}

/** A backup result exists only once its snapshot passed verification. */
export function recordVerifiedBackup(result: BackupResult): void {
  lastVerifiedBackup().set(seconds(Date.now()), { db: result.db, collection: result.collection });
}

export function recordRetentionDrop(ref: { db: string; collection: string }): void {
  retentionDrops().add(1, { db: ref.db, collection: ref.collection });
}

export function recordDrill(report: DrillReport): void {
  const tags = { db: report.db, collection: report.collection };
  drills().add(1, { ...tags, outcome: report.outcome });
  drillGauge(DRILL_PASSED_METRIC, '1 if the newest drill passed, else 0').set(
    report.outcome === 'pass' ? 1 : 0,
    tags,
  );
  drillGauge(DRILL_TIMESTAMP_METRIC, 'When the newest drill finished (Unix time)').set(
    seconds(Date.parse(report.finishedAt)),
    tags,
  );
  const { rto, rpo } = report;
  if (rto.measuredMs !== null)
    drillGauge(DRILL_RTO_METRIC, 'RTO the newest drill measured').set(seconds(rto.measuredMs), tags);
  if (rpo.measuredMs !== null)
    drillGauge(DRILL_RPO_METRIC, 'RPO the newest drill measured').set(seconds(rpo.measuredMs), tags);
}
