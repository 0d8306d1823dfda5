import type { CollectionComparison } from './compare';

/**
 * The drill report: JSON for machines (the workflow's result), rendered to Markdown for people
 * (render-report.ts). Pure and deterministic: the workflow builds it from what it measured.
 */

export type DrillOutcome = 'pass' | 'fail';
export type DrillStepName =
  | 'backup'
  | 'find-snapshot'
  | 'restore'
  | 'protect-scratch'
  | 'drop-scratch'
  | 'recover'
  | 'verify'
  | 'cleanup';
/** 'running' only while the drill is in the step (progress query); reports hold the others. */
export type DrillStepStatus = 'running' | 'ok' | 'failed' | 'skipped' | 'cancelled';

export interface DrillStep {
  name: DrillStepName;
  status: DrillStepStatus;
  /** ISO time the step started; absent when it never ran. */
  startedAt?: string;
  durationMs?: number;
  /** The error, when the step failed. */
  error?: string;
  /** One line of what the step did. */
  detail?: string;
}

export interface ObjectiveCheck {
  /** null when the drill did not get far enough to measure it. */
  measuredMs: number | null;
  objectiveMs: number;
  status: 'pass' | 'fail' | 'not-measured';
}

export interface DrillSnapshot {
  name: string;
  /** Epoch milliseconds and ISO text. */
  createTs: number;
  createdAt: string;
  /** Rows the snapshot was taken with (its marker); null when unknown. */
  recordedRowCount: number | null;
  /** True when this drill made the snapshot (source 'backup'). */
  madeByThisDrill: boolean;
}

export interface DrillReport {
  version: 1;
  workflowId: string;
  runId: string;
  db: string;
  collection: string;
  source: 'backup' | 'latest' | 'bundle';
  /** The disaster drilled beyond the scratch restore, when one was asked for. */
  disaster?: 'dropped-collection';
  /** The off-site bundle restored (source 'bundle'): its metadata URI and storage profile. */
  bundle?: { metadataUri: string; profile: string };
  scratch: {
    /** The cluster it was restored into, when the drill named one. */
    cluster?: string;
    db: string;
    collection: string;
    /** Cleanup confirmed the scratch collection is gone. */
    dropped: boolean;
  };
  snapshot: DrillSnapshot | null;
  restore: { jobId: string; milvusTimeCostMs?: number } | null;
  startedAt: string;
  finishedAt: string;
  totalMs: number;
  outcome: DrillOutcome;
  cancelled: boolean;
  /** Why the drill failed, one line each; empty on pass. */
  reasons: string[];
  /** What limits the evidence without failing the drill (e.g. sample skipped). */
  warnings: string[];
  steps: DrillStep[];
  /** Restore started → scratch verified. */
  rto: ObjectiveCheck;
  /** Age of the restored snapshot when the restore started. */
  rpo: ObjectiveCheck;
  verification: CollectionComparison | null;
}

/** What the workflow measured, before judging. */
export type DrillFacts = Omit<DrillReport, 'version' | 'outcome' | 'reasons' | 'warnings' | 'rto' | 'rpo'> & {
  rtoMs: number | null;
  rpoMs: number | null;
  rtoObjectiveMs: number;
  rpoObjectiveMs: number;
};

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) {
    const [m, s] = [Math.floor(ms / 60_000), Math.round((ms % 60_000) / 1000)];
    return s ? `${m} min ${s} s` : `${m} min`;
  }
  const [h, m] = [Math.floor(ms / 3_600_000), Math.round((ms % 3_600_000) / 60_000)];
  return m ? `${h} h ${m} min` : `${h} h`;
}

function checkObjective(measuredMs: number | null, objectiveMs: number): ObjectiveCheck {
  if (measuredMs === null) return { measuredMs, objectiveMs, status: 'not-measured' };
  return { measuredMs, objectiveMs, status: measuredMs <= objectiveMs ? 'pass' : 'fail' };
}

/** How many differing keys a reason line names before "…and N more". */
const KEYS_IN_REASON = 10;

function verificationReasons(v: CollectionComparison): string[] {
  const reasons = v.schema.differences.map((d) => `schema differs: ${d}`);
  const { expected, actual, sourceNow } = v.rowCount;
  if (!v.rowCount.equal) {
    const reference = expected !== null ? `the snapshot recorded ${expected}` : `the source has ${sourceNow}`;
    reasons.push(`row count differs: scratch has ${actual}, ${reference}`);
  }
  const differing = v.sample.differing;
  if (differing.length > 0) {
    const named = differing.slice(0, KEYS_IN_REASON).map((d) => d.key);
    const more = differing.length > named.length ? ` …and ${differing.length - named.length} more` : '';
    reasons.push(
      `${differing.length} of ${v.sample.compared} sampled keys differ (${v.sample.keyField}): ${named.join(', ')}${more}`,
    );
  }
  return reasons;
}

function verificationWarnings(v: CollectionComparison): string[] {
  const warnings: string[] = [];
  if (v.sample.status === 'skipped') warnings.push(`rows not compared: ${v.sample.skippedReason}`);
  if (v.rowCount.expected === null) {
    warnings.push(
      'the snapshot records no row count: the scratch was counted against the source as it is now',
    );
  }
  return warnings;
}

/** Judges the facts: pass only when every step ran, the scratch matched, both objectives held and cleanup worked. */
export function buildDrillReport(facts: DrillFacts): DrillReport {
  const { rtoMs, rpoMs, rtoObjectiveMs, rpoObjectiveMs, ...rest } = facts;
  const rto = checkObjective(rtoMs, rtoObjectiveMs);
  const rpo = checkObjective(rpoMs, rpoObjectiveMs);
  const reasons: string[] = [];
  if (facts.cancelled) reasons.push('the drill was cancelled');
  for (const step of facts.steps) {
    if (step.status === 'failed') reasons.push(`${step.name} failed: ${step.error ?? 'unknown error'}`);
    if (step.status === 'cancelled' && !facts.cancelled)
      reasons.push(`${step.name} was cancelled: ${step.error ?? ''}`);
  }
  if (facts.verification) reasons.push(...verificationReasons(facts.verification));
  if (rto.status === 'fail') {
    reasons.push(
      `RTO ${formatDuration(rto.measuredMs ?? 0)} exceeds the objective ${formatDuration(rtoObjectiveMs)}`,
    );
  }
  if (rpo.status === 'fail') {
    reasons.push(
      `RPO ${formatDuration(rpo.measuredMs ?? 0)} exceeds the objective ${formatDuration(rpoObjectiveMs)}`,
    );
  }
  if (!facts.scratch.dropped) {
    reasons.push(`the scratch collection ${facts.scratch.db}.${facts.scratch.collection} may be left behind`);
  }
  const ranEveryStep = facts.steps.every((s) => s.status === 'ok');
  if (reasons.length === 0 && (!ranEveryStep || !facts.verification))
    reasons.push('the drill did not complete');
  return {
    version: 1,
    ...rest,
    outcome: reasons.length === 0 ? 'pass' : 'fail',
    reasons,
    warnings: facts.verification ? verificationWarnings(facts.verification) : [],
    rto,
    rpo,
  };
}
