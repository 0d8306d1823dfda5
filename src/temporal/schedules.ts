import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleSpecDescription,
  type ScheduleSummary,
} from '@temporalio/client';
import type { Duration, TypedSearchAttributes } from '@temporalio/common';
import type { OperationDescriptor } from '../contracts/operation';
import type { ScheduleOptions } from '../contracts/schedule';
import { workflowSummary } from './summaries';

/**
 * Temporal Schedules for backups, retention, drills and fleets, so operators see, pause, trigger and edit
 * them in the Temporal UI. Runs that a schedule starts get the schedule id plus a timestamp as
 * workflow id, which is why the workflows resolve time-dependent names from workflow time.
 */
const OVERLAP: Record<ScheduleOptions['overlap'], ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  terminate_other: ScheduleOverlapPolicy.TERMINATE_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};

export interface CreateScheduleRequest {
  /** The operation (one whose descriptor has `schedule`): its workflow type and name. */
  descriptor: OperationDescriptor;
  /** The workflow's already validated input. */
  input: unknown;
  taskQueue: string;
  defaultScheduleId: string;
  /** What it runs on, `db.collection` (or `db.pattern`), shown by `schedule list`. */
  target: string;
  options: ScheduleOptions;
  searchAttributes?: TypedSearchAttributes;
  memo?: Record<string, unknown>;
}

export async function createSchedule(client: Client, req: CreateScheduleRequest): Promise<string> {
  const { options } = req;
  const scheduleId = options.scheduleId ?? req.defaultScheduleId;
  await client.schedule.create({
    scheduleId,
    spec: {
      ...(options.cron
        ? { cronExpressions: [options.cron] }
        : { intervals: [{ every: options.every as Duration }] }),
      timezone: options.timezone,
      jitter: options.jitter as Duration | undefined,
    },
    action: {
      type: 'startWorkflow',
      workflowType: req.descriptor.workflowType,
      workflowId: scheduleId,
      taskQueue: req.taskQueue,
      args: [req.input],
      staticSummary: workflowSummary(req.descriptor.workflowType, req.input),
      typedSearchAttributes: req.searchAttributes,
      memo: req.memo,
    },
    policies: {
      overlap: OVERLAP[options.overlap],
      catchupWindow: options.catchupWindow as Duration,
      pauseOnFailure: options.pauseOnFailure,
    },
    state: { paused: options.paused, note: options.note },
    memo: { operation: req.descriptor.name, target: req.target, spec: specText(options), ...req.memo },
  });
  return scheduleId;
}

/** The cadence as the operator gave it: Temporal keeps a cron only compiled into calendar specs. */
function specText(options: ScheduleOptions): string {
  return options.cron ? `cron ${options.cron}` : `every ${options.every}`;
}

export interface ScheduleRow {
  scheduleId: string;
  workflowType: string;
  paused: boolean;
  nextRuns: string[];
  recentRuns: string[];
  note?: string;
  /** "cron 0 2 * * *" or "every 6h" (schedules made before this was recorded: from Temporal's spec). */
  spec: string;
  /** The zone cron times are read in; UTC when none was given. */
  timezone: string;
  /** `db.collection` (or `db.pattern`) it runs on; absent for schedules made before it was recorded. */
  target?: string;
}

/** A spec without the recorded text: Temporal's intervals in seconds, calendars as given back. */
function describeSpec(spec: ScheduleSpecDescription | undefined): string {
  const parts = [
    ...(spec?.intervals ?? []).map((i) => `every ${Math.round(i.every / 1000)}s`),
    ...(spec?.calendars ?? []).map((c) => `calendar ${JSON.stringify(c)}`),
  ];
  return parts.join('; ') || '-';
}

function toRow(summary: ScheduleSummary): ScheduleRow {
  const memo = summary.memo ?? {};
  return {
    scheduleId: summary.scheduleId,
    workflowType: summary.action?.type === 'startWorkflow' ? summary.action.workflowType : '',
    paused: summary.state.paused,
    note: summary.state.note,
    nextRuns: summary.info.nextActionTimes.map((d) => d.toISOString()),
    recentRuns: summary.info.recentActions.map((a) => a.scheduledAt.toISOString()),
    spec: typeof memo.spec === 'string' ? memo.spec : describeSpec(summary.spec),
    timezone: summary.spec?.timezone || 'UTC',
    ...(typeof memo.target === 'string' ? { target: memo.target } : {}),
  };
}

/** An operation on a schedule id that does not exist. */
export class NoScheduleError extends Error {
  constructor(readonly scheduleId: string) {
    super(`no schedule ${scheduleId}`);
    this.name = 'NoScheduleError';
  }
}

/** Temporal's not-found, said as an operator would: "no schedule <id>". */
async function onSchedule<T>(scheduleId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new NoScheduleError(scheduleId);
    throw err;
  }
}

export async function listSchedules(client: Client): Promise<ScheduleRow[]> {
  const rows: ScheduleRow[] = [];
  for await (const summary of client.schedule.list()) rows.push(toRow(summary));
  return rows;
}

export async function describeSchedule(client: Client, scheduleId: string): Promise<ScheduleDescription> {
  return onSchedule(scheduleId, () => client.schedule.getHandle(scheduleId).describe());
}

export async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  await onSchedule(scheduleId, () => client.schedule.getHandle(scheduleId).delete());
}

export async function triggerSchedule(client: Client, scheduleId: string): Promise<void> {
  await onSchedule(scheduleId, () => client.schedule.getHandle(scheduleId).trigger());
}

export async function pauseSchedule(client: Client, scheduleId: string, paused: boolean, note?: string) {
  const handle = client.schedule.getHandle(scheduleId);
  await onSchedule(scheduleId, () => (paused ? handle.pause(note) : handle.unpause(note)));
}
