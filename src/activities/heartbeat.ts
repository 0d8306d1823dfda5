import { Context } from '@temporalio/activity';

/**
 * Heartbeat helpers that also work when an activity function is called directly (tests, or one
 * activity composing another): outside an activity they do nothing.
 */

export function currentActivityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** The details the previous attempt last heartbeated, so a retry resumes instead of starting over. */
export function previousHeartbeat<T>(): T | undefined {
  return currentActivityContext()?.info.heartbeatDetails as T | undefined;
}

export function heartbeat(details?: unknown): void {
  currentActivityContext()?.heartbeat(details);
}

/** Sleeps, waking early with a CancelledFailure when Temporal cancels the activity. */
export async function sleepOrCancel(ms: number): Promise<void> {
  const ctx = currentActivityContext();
  if (ctx) return ctx.sleep(ms);
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Heartbeats while one slow call runs, so a worker that dies mid-call is noticed within the
 * heartbeat timeout instead of the whole start-to-close timeout.
 */
export async function whileHeartbeating<T>(
  call: () => Promise<T>,
  everyMs = 1_000,
  details?: unknown,
): Promise<T> {
  const ctx = currentActivityContext();
  if (!ctx) return call();
  ctx.heartbeat(details);
  const timer = setInterval(() => ctx.heartbeat(details), everyMs);
  try {
    return await call();
  } finally {
    clearInterval(timer);
  }
}
