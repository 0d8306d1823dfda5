import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Standin, seedDemoCollection } from 'milvus-standin';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { prepareBackupStart } from '../../src/contracts/backup';
import { parseSnapshotMarker } from '../../src/contracts/snapshot-marker';
import { backupWorkflow } from '../../src/workflows/backup';
import { activityResults, activityTypes, attemptsOf } from '../helpers/activity-history';
import { waitUntil } from '../../dev/wait-until';
import { startStack, type BareStack } from '../helpers/stack';
import { uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const ROOT = resolve(__dirname, '..', '..');
const WORKER_SCRIPT = join(ROOT, 'dev', 'worker-process.ts');

/**
 * A worker process dies by SIGKILL mid-backup (no shutdown, no goodbye); a new worker process
 * finishes the same run and there is exactly one snapshot, made by that run.
 */
describe('backupWorkflow survives a killed worker', () => {
  let env: TestWorkflowEnvironment;
  let standin: Standin;
  let gateway: MilvusGateway;
  let stack: BareStack | undefined;
  let bundleDir: string;
  let bundlePath: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // Workers run in child processes, started by the tests.
    stack = await startStack({ worker: false });
    ({ env, standin, gateway } = stack);
    bundleDir = mkdtempSync(join(tmpdir(), 'backup-kill-'));
    bundlePath = join(bundleDir, 'workflows.js');
    writeFileSync(bundlePath, (await workflowBundle()).code);
  });

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await stack?.stop();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  beforeEach(() => standin.faults.reset());

  /** A worker in its own process; resolves once it polls the task queue. */
  function startWorkerProcess(taskQueue: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', WORKER_SCRIPT], {
      cwd: ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.address,
        TASK_QUEUE: taskQueue,
        MILVUS_ADDRESS: standin.address,
        WORKFLOW_BUNDLE_PATH: bundlePath,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolveReady, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('worker ready')) resolveReady(child);
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`worker exited early (${code ?? signal}): ${stderr}`)),
      );
    });
  }

  function killed(child: ChildProcess): Promise<void> {
    return new Promise((resolveExit) => {
      child.once('exit', () => resolveExit());
      child.kill('SIGKILL');
    });
  }

  async function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolveExit) => {
      child.once('exit', () => resolveExit());
      child.kill('SIGTERM');
    });
  }

  async function runKilledAt(collection: string, slowMethod: string) {
    await seedDemoCollection(standin.address, { collection, rows: 80, dim: 4 });
    const taskQueue = uniqueTaskQueue('backup-kill');
    const first = await startWorkerProcess(taskQueue);
    standin.faults.set({ latencyByMethod: { [slowMethod]: 3_000 } });
    const before = standin.faults.callCounts()[slowMethod] ?? 0;
    const { input, workflowId } = prepareBackupStart({ collection, snapshot: `${collection}_s` });
    const handle = await env.client.workflow.start(backupWorkflow, { taskQueue, workflowId, args: [input] });
    // The call is on the wire (the stand-in counted it and is sleeping on it): kill the worker now.
    await waitUntil(
      async () => standin.faults.callCounts()[slowMethod] ?? 0,
      (n) => n > before,
      60_000,
      20,
    );
    const killedAt = Date.now();
    await killed(first);
    standin.faults.set({ latencyByMethod: {} });
    const second = await startWorkerProcess(taskQueue);
    try {
      const result = await handle.result();
      return { handle, result, recoveryMs: Date.now() - killedAt, input };
    } finally {
      await stop(second);
    }
  }

  it('a create whose reply was lost with the worker is recognised on retry: exactly one snapshot', async () => {
    const { handle, result, recoveryMs } = await runKilledAt('kill_create', 'CreateSnapshot');
    const coll = { db: 'default', collection: 'kill_create' };
    expect(await gateway.listSnapshots(coll)).toEqual(['kill_create_s']);
    // The first worker's CreateSnapshot still reached Milvus; the retry found it was its own.
    expect(standin.faults.callCounts().CreateSnapshot).toBe(2); // first test of the file
    expect(await activityResults(handle, 'createSnapshot')).toEqual([
      expect.objectContaining({ created: false }),
    ]);
    expect((await attemptsOf(handle, 'createSnapshot'))[0]).toBeGreaterThanOrEqual(2);
    const marker = parseSnapshotMarker(
      (await gateway.describeSnapshot({ ...coll, snapshot: 'kill_create_s' })).description,
    );
    expect(marker?.workflowId).toBe(handle.workflowId);
    expect(result).toMatchObject({ snapshot: 'kill_create_s', rowCount: 80, reused: false });
    console.log(`[backup-kill] killed during CreateSnapshot: run completed ${recoveryMs} ms after the kill`);
  });

  it('a worker killed between create and verify: a new worker verifies and completes, one snapshot', async () => {
    const createsBefore = standin.faults.callCounts().CreateSnapshot ?? 0;
    // ListSnapshots is only called by verify (after DescribeSnapshot): the kill lands inside verify.
    const { handle, result, recoveryMs } = await runKilledAt('kill_verify', 'ListSnapshots');
    const coll = { db: 'default', collection: 'kill_verify' };
    expect(await gateway.listSnapshots(coll)).toEqual(['kill_verify_s']);
    expect((standin.faults.callCounts().CreateSnapshot ?? 0) - createsBefore).toBe(1);
    expect(await activityResults(handle, 'createSnapshot')).toEqual([
      expect.objectContaining({ created: true }),
    ]);
    // verify is a local activity: the dead worker's workflow task timed out and the new worker
    // ran the workflow task again, verify included.
    expect(await activityTypes(handle)).toContain('verifySnapshot');
    expect(result).toMatchObject({ snapshot: 'kill_verify_s', rowCount: 80 });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    console.log(`[backup-kill] killed during verify: run completed ${recoveryMs} ms after the kill`);
  });
});
