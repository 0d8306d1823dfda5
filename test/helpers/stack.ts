import type { Standin } from 'milvus-standin';
import {
  startStack as startDevStack,
  type BareStack,
  type Stack,
  type StackOptions as DevStackOptions,
} from '../../dev/stack';
import { startDevServer, type TestServerOptions } from './temporal';

export type { BareStack, Stack } from '../../dev/stack';

export interface StackOptions extends Omit<DevStackOptions, 'devServer' | 'startTemporal'> {
  /** Without options: a namespace of the file's own on the run's shared dev server (helpers/temporal.ts). */
  devServer?: TestServerOptions;
}

/** dev/stack.ts's `startStack`, its Temporal server had through `startDevServer` of helpers/temporal.ts. */
export async function startStack(options: StackOptions & { worker: false }): Promise<BareStack>;
export async function startStack(options?: StackOptions & { worker?: true }): Promise<Stack>;
export async function startStack(
  options: StackOptions & { worker?: boolean } = {},
): Promise<BareStack | Stack> {
  const { devServer, ...rest } = options;
  const startTemporal = () => startDevServer(devServer);
  return rest.worker === false
    ? startDevStack({ ...rest, worker: false, startTemporal })
    : startDevStack({ ...rest, worker: true, startTemporal });
}

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
