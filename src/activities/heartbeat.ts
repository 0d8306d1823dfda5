import { Context, log } from '@temporalio/activity';
import type { SignalDefinition } from '@temporalio/common';
import { type AsyncFn, wrapActivities } from './wrap-activities';

/**
 * The running activity and its context: heartbeats (with the keep-alive every activity gets),
 * cancel-aware sleeps, polling until done, and signals to its own workflow. They also work when an
 * activity function is called directly (tests, or one activity composing another): outside an
 * activity they do nothing.
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

/** What this attempt last heartbeated, so the keep-alive repeats it instead of erasing it. */
const lastDetails = new WeakMap<Context, unknown>();

export function heartbeat(details?: unknown): void {
  const ctx = currentActivityContext();
  if (!ctx) return;
  lastDetails.set(ctx, details);
  ctx.heartbeat(details);
}

/** Sleeps, waking early with a CancelledFailure when Temporal cancels the activity. */
export async function sleepOrCancel(ms: number): Promise<void> {
  const ctx = currentActivityContext();
  if (ctx) return ctx.sleep(ms);
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Every running activity heartbeats this often (the SDK sends at most one per 0.8 × the proxy's
 * heartbeatTimeout), so a killed worker's step is retried elsewhere within the heartbeat timeout
 * instead of its whole start-to-close timeout. Activities shorter than this send nothing.
 */
const KEEP_ALIVE_MS = 1_000;

async function keepAlive(run: () => Promise<unknown>): Promise<unknown> {
  const ctx = currentActivityContext();
  // Local activities cannot heartbeat: a dead worker's are retried with its workflow task.
  if (!ctx || ctx.info.isLocal) return run();
  // Repeat the attempt's own details, else the previous attempt's: a retry's checkpoint survives.
  const beat = () => ctx.heartbeat(lastDetails.has(ctx) ? lastDetails.get(ctx) : ctx.info.heartbeatDetails);
  const timer = setInterval(beat, KEEP_ALIVE_MS);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}

/** Wraps every activity of a record so it heartbeats while it runs (see KEEP_ALIVE_MS). */
export function withKeepAlive<T extends Record<string, AsyncFn>>(activities: T): T {
  return wrapActivities(activities, keepAlive);
}

export interface PollUntilOptions<T> {
  poll: () => Promise<T>;
  done: (value: T) => boolean;
  /** Epoch ms; the last value is returned unsettled once it has passed. */
  deadline: number;
  intervalMs: number;
  /** Heartbeat details after each unsettled poll (a retry resumes from them). */
  details?: (value: T) => unknown;
}

/**
 * Polls until `done` or the deadline, heartbeating between polls and waking early when Temporal
 * cancels the activity. The caller decides what an unsettled end means.
 */
export async function pollUntil<T>(o: PollUntilOptions<T>): Promise<{ value: T; settled: boolean }> {
  for (;;) {
    const value = await o.poll();
    if (o.done(value)) return { value, settled: true };
    if (Date.now() >= o.deadline) return { value, settled: false };
    heartbeat(o.details?.(value));
    await sleepOrCancel(o.intervalMs);
  }
}

/**
 * Signals the workflow that runs this activity. Best effort: returns false when it was not
 * delivered (or there is no workflow, the activity being called directly), and the caller decides
 * whether that matters.
 */
export async function signalOwnWorkflow<T>(signal: SignalDefinition<[T]>, arg: T): Promise<boolean> {
  const ctx = currentActivityContext();
  const execution = ctx?.info.workflowExecution;
  if (!ctx || !execution) return false;
  try {
    await ctx.client.workflow.getHandle(execution.workflowId, execution.runId).signal(signal, arg);
    return true;
  } catch (err) {
    log.warn('signal to the workflow not delivered', { signal: signal.name, error: String(err) });
    return false;
  }
}
