import { startWorkerChild, type WorkerChild } from '../../dev/worker-child';
import { startStack, type BareStack } from './stack';
import { startWorker, uniqueTaskQueue, type RunningWorker } from './temporal';

export interface WorkerKill {
  /** The stack of the file (dev server, stand-in, gateway), with no worker of its own. */
  stack(): BareStack;
  /** Its parts, read when used (the stack starts in beforeAll). */
  readonly env: BareStack['env'];
  readonly standin: BareStack['standin'];
  readonly gateway: BareStack['gateway'];
  /** The first worker, in a child process (the one the test SIGKILLs), on a new task queue. */
  startChildWorker(name: string): Promise<string>;
  /** SIGKILLs the child worker. */
  killChildWorker(): Promise<void>;
  /** A fresh worker in this process on the child's task queue: it takes the runs over. */
  startFreshWorker(): Promise<RunningWorker>;
}

/**
 * The set-up of a worker-kill test: a stack without a worker in beforeAll (then `seed`), the
 * workers the test starts stopped after each test, the stack after the file.
 */
export function useWorkerKill(seed?: (stack: BareStack) => Promise<unknown>): WorkerKill {
  let stack: BareStack | undefined;
  let child: WorkerChild | undefined;
  let worker: RunningWorker | undefined;
  let taskQueue: string | undefined;
  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await seed?.(stack);
  });
  afterEach(async () => {
    await child?.kill();
    await worker?.stop();
    child = worker = taskQueue = undefined;
  });
  afterAll(() => stack?.stop());

  const running = (): BareStack => {
    if (!stack) throw new Error('the stack is not running (used outside a test, or its start failed)');
    return stack;
  };
  return {
    stack: running,
    get env() {
      return running().env;
    },
    get standin() {
      return running().standin;
    },
    get gateway() {
      return running().gateway;
    },
    async startChildWorker(name) {
      const { env, standin } = running();
      taskQueue = uniqueTaskQueue(name);
      child = await startWorkerChild({
        temporalAddress: env.address,
        namespace: env.namespace,
        taskQueue,
        milvusAddress: standin.address,
      });
      return taskQueue;
    },
    async killChildWorker() {
      await child?.kill();
    },
    async startFreshWorker() {
      if (!taskQueue) throw new Error('startFreshWorker before startChildWorker');
      const { env, gateway } = running();
      worker = await startWorker(env, gateway, taskQueue);
      return worker;
    },
  };
}
