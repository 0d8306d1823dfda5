import {
  DefaultLogger,
  type LogEntry,
  type Logger,
  type LogLevel as SdkLogLevel,
  Runtime,
} from '@temporalio/worker';
import { formatWithOptions } from 'node:util';
import type { LogLevel } from '../config';
import { FailureType } from '../contracts/failures';
import type { MilvusErrorKind } from '../milvus/errors';
import { errorText } from '../shared/text';
import { OPERATION_DURATION_METRIC } from './metric-names';

/**
 * The process's Temporal runtime: the worker's log lines (createWorkerLogger) and, installed once
 * with that logger, the SDK's Prometheus exporter (installRuntime).
 */

/**
 * The worker's log lines. An expected failure — bad input, a Milvus refusal or outage, any failure
 * type this worker raises on purpose, a failed workflow run — is one line naming the workflow, the
 * activity and the reason; the SDK would print the error's stack and the activity's task token. An
 * activity's unexpected error (a bug: TypeError, a failure of unknown type) keeps its stack. Task tokens are never printed: they
 * are opaque, and the workflow and activity ids identify the attempt.
 */

/** Written out, not derived: a new kind in milvus/errors.ts fails to compile until listed here. */
const MILVUS_KINDS: Record<MilvusErrorKind, true> = {
  Unavailable: true,
  RateLimited: true,
  DeadlineExceeded: true,
  NotReady: true,
  CollectionNotFound: true,
  SnapshotNotFound: true,
  RestoreJobNotFound: true,
  ExportJobNotFound: true,
  UnsupportedStorage: true,
  AlreadyExists: true,
  InvalidName: true,
  InvalidArgument: true,
  MissingParameter: true,
  SnapshotPinned: true,
  UnsupportedVersion: true,
  PermissionDenied: true,
  Unauthenticated: true,
  Unknown: true,
};
const EXPECTED_TYPES: ReadonlySet<string> = new Set([
  ...Object.keys(MILVUS_KINDS),
  ...Object.values(FailureType),
]);

/** What the SDK passes as `error` (duck-typed: failures may come from another realm). */
interface FailureLike {
  name?: unknown;
  message?: unknown;
  type?: unknown;
  nonRetryable?: unknown;
  cause?: unknown;
}

/** The outermost failure in the cause chain whose type is one this worker raises on purpose. */
export function expectedFailure(
  err: unknown,
): { type: string; message: string; nonRetryable: boolean } | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const failure = current as FailureLike;
    if (typeof failure.type === 'string' && EXPECTED_TYPES.has(failure.type)) {
      return {
        type: failure.type,
        message: String(failure.message ?? ''),
        nonRetryable: failure.nonRetryable === true,
      };
    }
    current = failure.cause;
  }
  return undefined;
}

type Meta = Record<string, unknown>;

function workflowName(meta: Meta): string {
  return `workflow ${String(meta.workflowId)} (${String(meta.workflowType)})`;
}

/** One line for an expected failure of an activity attempt or a workflow run; undefined otherwise. */
function failureLine(message: string, meta: Meta): string | undefined {
  // A workflow fails only by throwing a Temporal failure (any other error fails the workflow task
  // and is retried), so a failed run is always deliberate. Its error crossed from the workflow
  // thread as a plain Error: the message is all that is left of it.
  if (message === 'Workflow failed') return `${workflowName(meta)} failed: ${errorText(meta.error)}`;
  if (message !== 'Activity failed') return undefined;
  const failure = expectedFailure(meta.error);
  if (!failure) return undefined;
  const retry = failure.nonRetryable
    ? 'non-retryable'
    : `attempt ${String(meta.attempt)}, retried per policy`;
  return `activity ${String(meta.activityType)} failed in ${workflowName(meta)}: ${failure.type}: ${failure.message} (${retry})`;
}

const format = formatWithOptions.bind(undefined, { colors: false, breakLength: Infinity });

/** A log entry as one or more text lines (only unexpected errors span several). */
export function formatLogEntry(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const { taskToken: _token, ...meta } = entry.meta ?? {};
  const line = failureLine(entry.message, meta);
  if (line) return `${time} [${entry.level}] ${line}`;
  const rest = Object.keys(meta).length ? ` ${format(meta)}` : '';
  return `${time} [${entry.level}] ${entry.message}${rest}`;
}

/** The Runtime logger for workers: LOG_LEVEL's threshold, one line per expected failure, to stderr. */
export function createWorkerLogger(
  level: LogLevel,
  write: (text: string) => void = (text) => process.stderr.write(text),
): Logger {
  return new DefaultLogger(level.toUpperCase() as SdkLogLevel, (entry) =>
    write(`${formatLogEntry(entry)}\n`),
  );
}

/**
 * The process's Temporal runtime, installed once before any connection, with the worker's logger;
 * with a metrics address,
 * the SDK's Prometheus exporter serves `/metrics` there — Temporal's own worker metrics and the
 * project's (recorded through the SDK's metric meter, so both land on the one endpoint).
 */

/** Backups and restores take seconds to hours: buckets in seconds over that range. */
const DURATION_BUCKETS_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400];

export function installRuntime(options: { metricsAddress?: string; logger: Logger }): void {
  const prometheus = options.metricsAddress && {
    bindAddress: options.metricsAddress,
    histogramBucketOverrides: { [OPERATION_DURATION_METRIC]: DURATION_BUCKETS_SECONDS },
  };
  Runtime.install({
    logger: options.logger,
    ...(prometheus ? { telemetryOptions: { metrics: { prometheus } } } : {}),
  });
}
