/**
 * Polls until `check` returns a value that `done` accepts (for Temporal's eventually consistent
 * visibility: schedule lists, workflow lists). Returns the last value so the test asserts on it.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await check();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await check();
  }
  return value;
}
