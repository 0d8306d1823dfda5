import type { QueryDefinition } from '@temporalio/common';
import type { z } from 'zod';

/**
 * The operations this worker runs, each one workflow type. Every consumer — the typed client, the
 * CLI commands, `status`, progress, the UI's summaries, fleets, schedules, metrics — reads an
 * operation's facts from its descriptor (`<op>Descriptor` in `contracts/<op>.ts`, all of them in
 * `contracts/operations.ts`), never from a copy of its own. Pure and zod-free: workflows use it.
 */
export const OPERATION_NAMES = [
  'backup',
  'restore',
  'retention',
  'drill',
  'fleet',
  'export',
  'recover',
  'catalog',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];
export type OperationWorkflowType = `${OperationName}Workflow`;

/** The workflow type of an operation: its workflow function's name. */
export function workflowTypeOf<N extends OperationName>(name: N): `${N}Workflow` {
  return `${name}Workflow`;
}

/** Workflow types that run part of an operation as its child: retention's per-collection run. */
const CHILD_WORKFLOW_TYPES: Readonly<Record<string, OperationName>> = { retentionApplyWorkflow: 'retention' };

/**
 * The operation a workflow type runs ("backupWorkflow" → "backup"; a child's type → its parent's
 * operation); undefined for other types.
 */
export function operationOfWorkflowType(workflowType: string): OperationName | undefined {
  return (
    CHILD_WORKFLOW_TYPES[workflowType] ??
    OPERATION_NAMES.find((name) => workflowTypeOf(name) === workflowType)
  );
}

/** The task queue workers poll and clients start on unless TEMPORAL_TASK_QUEUE names another. */
export const DEFAULT_TASK_QUEUE = 'milvus-snapshots';

type Fields = Record<string, unknown>;

export interface OperationDescriptor<S extends z.ZodType = z.ZodType, P = unknown> {
  name: OperationName;
  workflowType: OperationWorkflowType;
  /** The input's schema: CLI flags and help, the client's and the run's validation. */
  input: S;
  /** One line for `milvus-snapshot help`. */
  about: string;
  /**
   * The workflow id of a run the client starts, from the parsed input (`unique` for operations
   * that may run any number of times at once, e.g. drills).
   */
  workflowId(input: z.output<S>, unique: string): string;
  /** Fixes what a started run's id needs before it is computed (backup: the snapshot name, now). */
  prepareStart?(input: z.output<S>, now: Date): z.output<S>;
  /** Steps in the order the run goes through them (what `progress` reports as its step). */
  steps?: readonly string[];
  /** The UI's one-line summary of a run with this (raw or parsed) input (absent: its name and subject). */
  summary?(input: Fields): string;
  /** The query the run answers with its progress. */
  progress?: QueryDefinition<P>;
  /** How it is scheduled; absent when it cannot be. */
  schedule?: ScheduleSupport<z.output<S>>;
}

export interface ScheduleSupport<I> {
  /** The schedule id unless `--schedule-id` names another. */
  scheduleId(input: I): string;
  /** What it runs on (`db.collection` or `db.pattern`), shown by `schedule list`. */
  target(input: I): string;
  /** A field a schedule must not set, and why (each run decides it). */
  refuse?: { field: string; rule: string };
}

/** A step's place in `steps` as a percentage: 0 for the first, 100 for the last; 0 for an unknown one. */
export function stepPercent(steps: readonly string[], step: string): number {
  const at = Math.max(0, steps.indexOf(step));
  return steps.length > 1 ? (at / (steps.length - 1)) * 100 : 0;
}

/**
 * Workflow (and schedule) ids of one operation on one collection: `<kind>:<cluster/><db>.<name>`,
 * the cluster segment only for a cluster named in the input (absent: the worker's default), so
 * two clusters' namesakes never share a run, a catalog or a schedule. `rest` follows after ':'.
 */
export function scopedId(
  kind: string,
  ref: { cluster?: string; db?: string; name: string },
  ...rest: string[]
): string {
  const cluster = ref.cluster ? `${ref.cluster}/` : '';
  return [`${kind}:${cluster}${ref.db ?? 'default'}.${ref.name}`, ...rest].join(':');
}

/** For summaries: a non-empty string field, else undefined. */
export function textField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** For summaries: "db.collection" (the default database when none is given), undefined without a collection. */
export function qualifiedName(db: unknown, collection: unknown): string | undefined {
  const name = textField(collection);
  return name && `${textField(db) ?? 'default'}.${name}`;
}
