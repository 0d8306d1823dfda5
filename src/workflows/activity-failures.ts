import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  type TemporalFailure,
} from '@temporalio/workflow';

/**
 * An activity's typed failure (its type is the MilvusErrorKind) re-raised as the workflow's own
 * failure: non-retryable, Milvus's message (after `step: ` when given) and kind. Anything else is
 * returned unchanged. `local`: err comes from a local activity call.
 */
export function surfaceActivityFailure(err: unknown, step?: string, local = false): unknown {
  // A local activity's failure arrives as the activity's own ApplicationFailure, unwrapped.
  const cause: unknown = err instanceof ActivityFailure ? err.cause : local ? err : undefined;
  if (!(cause instanceof ApplicationFailure)) return err;
  return ApplicationFailure.create({
    message: step ? `${step}: ${cause.message}` : cause.message,
    type: cause.type ?? undefined,
    nonRetryable: true,
    details: cause.details ?? undefined,
    cause: err instanceof ActivityFailure ? err : cause.cause,
  });
}

/** The failure that says what went wrong, under the activity / child-workflow wrappers. */
export function innermostFailure(err: unknown): unknown {
  let current = err;
  while ((current instanceof ActivityFailure || current instanceof ChildWorkflowFailure) && current.cause) {
    current = current.cause;
  }
  return current;
}

/** The innermost failure's type and message (a child's activity failure is two levels down). */
export function failureOf(err: unknown): { type: string; message: string } {
  const cause = innermostFailure(err);
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'Error', message: cause.message };
  const failure = cause as TemporalFailure | Error;
  return { type: failure.name ?? 'Error', message: failure.message ?? String(err) };
}
