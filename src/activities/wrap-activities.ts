import { ApplicationFailure } from '@temporalio/common';
import { isMilvusError } from '../milvus/errors';

/**
 * How every activity is wrapped (index.ts composes them): `wrapActivities` runs each activity of a
 * record inside a function; `withMilvusFailures` turns Milvus errors into typed failures.
 */
export type AsyncFn = (...args: never[]) => Promise<unknown>;

/** Runs every activity of a record inside `around`, keeping names and types. */
export function wrapActivities<T extends Record<string, AsyncFn>>(
  activities: T,
  around: (run: () => Promise<unknown>) => Promise<unknown>,
): T {
  const wrapped: Record<string, AsyncFn> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = (...args: never[]) => around(() => fn(...args));
  }
  return wrapped as T;
}

/**
 * Activities throw ApplicationFailures whose type is the MilvusErrorKind, so workflows can match
 * on it and non-retryable Milvus errors stop the retry loop at once (whatever the caller's policy).
 */
export function toActivityFailure(err: unknown): unknown {
  if (!isMilvusError(err)) return err;
  return ApplicationFailure.create({
    message: err.message,
    type: err.kind,
    nonRetryable: !err.retryable,
    details: [
      {
        kind: err.kind,
        code: err.code,
        operation: err.operation,
        db: err.db,
        collection: err.collection,
        snapshot: err.snapshot,
      },
    ],
  });
}

/** Wraps every activity of a factory's result so Milvus errors leave as typed failures. */
export function withMilvusFailures<T extends Record<string, AsyncFn>>(activities: T): T {
  return wrapActivities(activities, async (run) => {
    try {
      return await run();
    } catch (err) {
      throw toActivityFailure(err);
    }
  });
}
