import { msToTs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { temporalExecutable } from '../../dev/temporal-binaries';
import {
  quietRuntime,
  startDevServer as startOwnDevServer,
  type DevServerOptions,
} from '../../dev/temporal-test-env';
import { ensureSearchAttributes } from '../../src/temporal/register-search-attributes';

/** The dev server, workflow bundle and worker are shared with the benchmarks (dev/temporal-test-env.ts). */
export {
  quietRuntime,
  startWorker,
  uniqueTaskQueue,
  workflowBundle,
  type DevServerOptions,
  type RunningWorker,
} from '../../dev/temporal-test-env';

export interface TestServerOptions extends DevServerOptions {
  /** A dev server of this file's own even in a jest run: for tests that see its namespace `default`. */
  own?: boolean;
}

function noServerInFastRun(): void {
  if (process.env.TEST_FAST === '1')
    throw new Error('npm run test:fast starts no Temporal server: this file belongs to the full run');
}

/**
 * A Temporal dev server for this test file. In a jest run (test/helpers/global-setup.ts) it is a
 * namespace of the file's own on the run's one shared dev server: same server build and search
 * attributes, nothing shared with other files but the process. Its `teardown()` ends what the file
 * left running there (runs, schedules) and closes the connections. A server of the file's own is
 * started when asked (`own`), when the options configure the server (database file, port,
 * dynamic config), when recording replay histories, or outside jest's global set-up.
 * While the namespace is in use, TEMPORAL_NAMESPACE names it for the CLIs and workers the test
 * spawns with this process's environment.
 */
export async function startDevServer(options: TestServerOptions = {}): Promise<TestWorkflowEnvironment> {
  noServerInFastRun();
  const { own, ...serverOptions } = options;
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  const configured = Object.values(serverOptions).some((value) => value !== undefined);
  // Recorded histories (RECORD_HISTORIES=1) name their namespace: `default`, as they always have.
  const recording = process.env.RECORD_HISTORIES === '1';
  if (!address || own || configured || recording) return startOwnDevServer(serverOptions);
  return namespaceOnSharedServer(address);
}

async function namespaceOnSharedServer(address: string): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const file = basename(expect.getState().testPath ?? 'test').replace(/\.test\.ts$/, '');
  const namespace = `${file.replace(/[^A-Za-z0-9_-]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address, namespace });
  try {
    await env.connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const registered = await ensureSearchAttributes(env.connection, namespace);
    if (registered.error) throw new Error(`search attributes on ${namespace}: ${registered.error}`);
  } catch (err) {
    await env.teardown();
    throw err;
  }
  const previousNamespace = process.env.TEMPORAL_NAMESPACE;
  process.env.TEMPORAL_NAMESPACE = namespace;
  const teardown = env.teardown.bind(env);
  env.teardown = async () => {
    if (process.env.TEMPORAL_NAMESPACE === namespace) {
      if (previousNamespace === undefined) delete process.env.TEMPORAL_NAMESPACE;
      else process.env.TEMPORAL_NAMESPACE = previousNamespace;
    }
    try {
      await endWhatIsLeft(env);
    } finally {
      await teardown();
    }
  };
  return env;
}

/** Deletes the namespace's schedules and terminates its open runs: a shared server idles after a file. */
async function endWhatIsLeft(env: TestWorkflowEnvironment): Promise<void> {
  const { client } = env;
  for await (const schedule of client.schedule.list()) {
    await client.schedule
      .getHandle(schedule.scheduleId)
      .delete()
      .catch(() => undefined);
  }
  for await (const run of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    await client.workflow
      .getHandle(run.workflowId, run.runId)
      .terminate('the test file ended')
      .catch(() => undefined);
  }
}

/** The Java time-skipping test server, for hours that must pass quickly (tests only). */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  noServerInFastRun();
  quietRuntime();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: temporalExecutable('temporal-test-server') },
  });
}
