/**
 * Runs `fn` over `items`, at most `limit` at once, in a sliding window: a new item starts as soon
 * as one finishes (deterministic: only workflow promises). Once `stop()` says so, no further item
 * is started; the ones running are awaited.
 */
export async function forEachConcurrent<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
