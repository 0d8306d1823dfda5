import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandin, type Standin } from '../../src/milvus-standin';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';
import { restoreProgressQuery, restoreWorkflow, restoreWorkflowId } from '../../src/workflows/restore';
import { freePort } from '../helpers/free-port';
import { seedSnapshot, waitUntil } from '../helpers/restore';
import { startDevServer, startWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/temporal';

/**
 * The Temporal server goes down mid-wait (worker stopped with it) and comes back on the same
 * port and SQLite file; a new worker continues the same run on the same restore job.
 */
describe('restoreWorkflow across a Temporal server restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'restore-restart-'));
  const dbFilename = join(dir, 'temporal.db');
  let env: TestWorkflowEnvironment | undefined;
  let standin: Standin;
  let gateway: MilvusGateway;
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    standin = await startStandin({ port: 0 });
    gateway = createMilvusGateway({ address: standin.address });
    await seedSnapshot(standin.address, gateway, {
      collection: 'restart_items',
      snapshot: 'restart_snap',
      rows: 40,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
    await gateway?.close();
    await standin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('continues the run on the same job after the server comes back', async () => {
    const port = await freePort();
    const taskQueue = uniqueTaskQueue('restore-restart');
    env = await startDevServer({ dbFilename, port });
    worker = await startWorker(env, gateway, taskQueue);
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

    await worker.stop();
    await env.teardown();
    env = await startDevServer({ dbFilename, port });
    worker = await startWorker(env, gateway, taskQueue);

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
  });
});
