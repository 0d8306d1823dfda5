import { ApplicationFailure } from '@temporalio/common';
import { isMilvusError } from '../milvus/errors';
import { wrapActivities, type AsyncFn } from './wrap-activities';

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
