import { CancellationScope, sleep } from '@temporalio/workflow';

export const DEADLINE_PASSED = Symbol('deadline passed');

/** Runs `fn` until it settles or `ms` pass; then cancels it and throws DEADLINE_PASSED. */
export async function withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const work = new CancellationScope();
  const timer = new CancellationScope();
  const working = work.run(fn);
  const timing = timer.run(() => sleep(Math.max(ms, 1)));
  timing.catch(() => undefined); // cancelled once the work settles first
  try {
    const first = await Promise.race([working.then((value) => ({ value })), timing.then(() => undefined)]);
    if (first) return first.value;
    work.cancel();
    await working.catch(() => undefined);
    throw DEADLINE_PASSED;
  } finally {
    timer.cancel();
  }
}
