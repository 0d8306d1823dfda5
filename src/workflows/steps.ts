import { isCancellation, upsertSearchAttributes } from '@temporalio/workflow';
import {
  MILVUS_COLLECTION,
  MILVUS_DB,
  MILVUS_SNAPSHOT,
  SNAPSHOT_OPERATION,
} from '../temporal/search-attributes';

/** One run of a step, in workflow time (includes retries and backoff: what the operator waited). */
export interface StepRun<Name extends string> {
  name: Name;
  startedAt: number;
  status: 'running' | 'ok' | 'failed' | 'cancelled';
  durationMs?: number;
  /** One line of what the step did (from `describe`), when it succeeded. */
  detail?: string;
  /** What the step threw, when it failed or was cancelled. */
  error?: unknown;
}

/**
 * The step tracking every workflow shares: where the run is (`current`, for its progress query and
 * its failure messages) and what each timed step took. `Name` are the timed steps, `Phase` the
 * untimed states around them ('starting', 'compensating', 'done', ...). Pure bookkeeping: it issues
 * no commands, so using it never changes a history.
 */
export class StepTracker<Name extends string, Phase extends string = never> {
  readonly runs: StepRun<Name>[] = [];
  readonly startedAt = Date.now();

  constructor(public current: Name | Phase) {}

  /** Moves to a phase that is not timed. */
  enter(phase: Name | Phase): void {
    this.current = phase;
  }

  /** Runs `fn` as step `name`, recording its duration and outcome; rethrows what it throws. */
  async step<T>(name: Name, fn: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
    this.current = name;
    const record: StepRun<Name> = { name, startedAt: Date.now(), status: 'running' };
    this.runs.push(record);
    try {
      const result = await fn();
      Object.assign(record, { status: 'ok', durationMs: Date.now() - record.startedAt });
      if (describe) record.detail = describe(result);
      return result;
    } catch (err) {
      const status = isCancellation(err) ? 'cancelled' : 'failed';
      Object.assign(record, { status, durationMs: Date.now() - record.startedAt, error: err });
      throw err;
    }
  }

  /** Duration of each finished step (its latest run). */
  durations(): Partial<Record<Name, number>> {
    const durations: Partial<Record<Name, number>> = {};
    for (const run of this.runs) if (run.durationMs !== undefined) durations[run.name] = run.durationMs;
    return durations;
  }

  /** Whether step `name` has run (or is running). */
  ran(name: Name): boolean {
    return this.runs.some((r) => r.name === name);
  }
}

/**
 * What a run is about, searchable in Temporal's visibility (`MILVUS_DB`, `MILVUS_COLLECTION`,
 * `MILVUS_SNAPSHOT` when known, `SNAPSHOT_OPERATION`), set at its start: every workflow says it
 * here, in one shape. A snapshot known only later (drill, recover) follows with `searchableSnapshot`.
 */
export function searchableAs(
  operation: string,
  subject: { db: string; collection: string; snapshot?: string },
): void {
  upsertSearchAttributes([
    { key: MILVUS_DB, value: subject.db },
    { key: MILVUS_COLLECTION, value: subject.collection },
    ...(subject.snapshot === undefined ? [] : [{ key: MILVUS_SNAPSHOT, value: subject.snapshot }]),
    { key: SNAPSHOT_OPERATION, value: operation },
  ]);
}

export function searchableSnapshot(snapshot: string): void {
  upsertSearchAttributes([{ key: MILVUS_SNAPSHOT, value: snapshot }]);
}
