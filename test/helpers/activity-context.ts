import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';

type ActivityFn = (...args: never[]) => Promise<unknown>;

/**
 * An activity context like a worker's (heartbeats, the previous attempt's heartbeat details,
 * cancellation) with no workflow and no server: activity tests need neither. `heartbeats`
 * collects what the activities run in it heartbeated, in order.
 */
export function activityContext(info: Partial<Info> = {}) {
  const env = new MockActivityEnvironment(info);
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));
  return {
    heartbeats,
    run: <P extends unknown[], R>(fn: (...args: P) => Promise<R>, ...args: P): Promise<R> =>
      env.run(fn, ...args),
  };
}

/** The same activities, each call run in a fresh activity context, as a worker runs each attempt. */
export function inActivityContext<A extends Record<string, ActivityFn>>(activities: A): A {
  const wrapped: Partial<A> = {};
  for (const name of Object.keys(activities) as (keyof A)[]) {
    const fn = activities[name] as unknown as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = ((...args: unknown[]) => activityContext().run(fn, ...args)) as unknown as A[keyof A];
  }
  return wrapped as A;
}
