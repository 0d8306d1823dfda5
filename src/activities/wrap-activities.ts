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
