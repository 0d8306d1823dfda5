import type { Standin } from 'milvus-standin';
import { startStack, type Stack, type StackOptions } from '../../dev/stack';

export { startStack, type BareStack, type Stack, type StackOptions } from '../../dev/stack';

/**
 * Starts a Stack in beforeAll and stops it in afterAll of the enclosing describe (or file).
 * Tests reach its parts through the returned getter: `const stack = useStack(); … stack().gateway`.
 */
export function useStack(options: StackOptions & { timeoutMs?: number } = {}): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
  }, options.timeoutMs);
  afterAll(() => stack?.stop());
  return () => {
    if (!stack) throw new Error('the stack is not running (used outside a test, or its start failed)');
    return stack;
  };
}

/**
 * Before each test: resets the stand-in's faults and notes its call counts. Returns how often a
 * method was called since then (counts add up over a file; each test compares against its own start).
 */
export function callsPerTest(standin: () => Standin): (method: string) => number {
  let countsAtStart: Record<string, number> = {};
  beforeEach(() => {
    standin().faults.reset();
    countsAtStart = standin().faults.callCounts();
  });
  return (method) => (standin().faults.callCounts()[method] ?? 0) - (countsAtStart[method] ?? 0);
}
