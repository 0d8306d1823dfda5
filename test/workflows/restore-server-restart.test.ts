import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandin, type Standin } from 'milvus-standin';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';
import { createWorker } from '../../src/worker';
import { restoreWorkflow } from '../../src/workflows/restore';
import { restoreProgressQuery, restoreWorkflowId } from '../../src/contracts/restore';
import { freePort } from '../../dev/free-port';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../helpers/wait-until';
import { startDevServer, uniqueTaskQueue, workflowBundle, type RunningWorker } from '../helpers/temporal';

/**
 * The Temporal server goes down mid-wait and comes back on the same port and SQLite file. The
 * worker keeps running on its own connection (as a deployed worker would), reconnects, and the
 * same run finishes on the same restore job.
 */
describe('restoreWorkflow across a Temporal server restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'restore-restart-'));
  const dbFilename = join(dir, 'temporal.db');
  let env: TestWorkflowEnvironment | undefined;
  let standin: Standin;
  let gateway: MilvusGateway;
  let worker: RunningWorker | undefined;
  let connection: NativeConnection | undefined;

  async function runWorker(conn: NativeConnection, taskQueue: string): Promise<RunningWorker> {
    const w = await createWorker({
      connection: conn,
      namespace: 'default',
      taskQueue,
      gateway,
      workflowBundle: await workflowBundle(),
    });
    const running = w.run();
    return {
      worker: w,
      taskQueue,
      async stop() {
        if (w.getState() === 'RUNNING') w.shutdown();
        await running;
      },
    };
  }

  beforeAll(async () => {
    standin = await startStandin({ port: 0 });
    gateway = createMilvusGateway({ address: standin.address });
    await seedSnapshot(
      { standin, gateway },
      {
        collection: 'restart_items',
        snapshot: 'restart_snap',
        rows: 40,
      },
    );
  });

  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await env?.teardown();
    await gateway?.close();
    await standin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('continues the run on the same job after the server comes back', async () => {
    const port = await freePort();
    const taskQueue = uniqueTaskQueue('restore-restart');
    env = await startDevServer({ dbFilename, port });
    connection = await NativeConnection.connect({ address: `127.0.0.1:${port}` });
    worker = await runWorker(connection, taskQueue);
    standin.faults.set({ restoreDurationMs: 20_000 });
    const args = {
      snapshot: 'restart_snap',
      sourceCollection: 'restart_items',
      targetCollection: 'restart_target',
    };
    const workflowId = restoreWorkflowId(args);
    const first = await env.client.workflow.start(restoreWorkflow, {
      taskQueue,
      workflowId,
      args: [{ ...args, pollInterval: '500ms' }],
    });
    const before = await waitUntil(
      () => first.query(restoreProgressQuery),
      (p) => p.state === 'Executing' && p.progress >= 10,
      60_000,
    );

    await env.teardown();
    await new Promise((resolve) => setTimeout(resolve, 2000)); // down for a while, the job runs on
    env = await startDevServer({ dbFilename, port });

    const handle = env.client.workflow.getHandle<typeof restoreWorkflow>(
      workflowId,
      first.firstExecutionRunId,
    );
    const result = await handle.result();
    expect(result.jobId).toBe(before.jobId);
    expect(result.verifiedRowCount).toBe(40);
    expect(standin.faults.callCounts().RestoreSnapshot).toBe(1);
    const jobs = await gateway.listRestoreJobs({ db: 'default', collection: 'restart_target' });
    expect(jobs.map((j) => j.jobId)).toEqual([before.jobId]);
    const events = (await handle.fetchHistory()).events ?? [];
    const waitStarted = events.find(
      (e) =>
        (e.activityTaskStartedEventAttributes?.attempt ?? 0) > 0 &&
        e.eventId &&
        events.some(
          (s) =>
            s.activityTaskScheduledEventAttributes?.activityType?.name === 'waitForRestoreJob' &&
            s.eventId?.toString() === e.activityTaskStartedEventAttributes?.scheduledEventId?.toString(),
        ),
    );
    console.log(
      `[restore-restart] server restarted at ${before.progress}%; wait activity finished on attempt ${waitStarted?.activityTaskStartedEventAttributes?.attempt}; ${events.length} events`,
    );
  });
});
