import { heartbeat, sleepOrCancel } from './heartbeat';

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
