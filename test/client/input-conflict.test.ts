import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { SnapshotWorkerClient } from '../../src/client';
import { WorkflowInputConflictError } from '../../src/lookups/input-conflict';
import { InputError } from '../../src/contracts/parse-input';
import { retentionWorkflow } from '../../src/workflows';
import { runCli } from '../helpers/cli';
import { startDevServer, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

/**
 * A start under the id of a running workflow attaches only when the input is the same. The runs
 * here wait on a task queue no worker polls: for Temporal they are running, and stay so until
 * terminated, whatever the machine's speed.
 */
describe('starting under a running workflow id', () => {
  let env: TestWorkflowEnvironment;
  let client: SnapshotWorkerClient;
  const queue = uniqueTaskQueue('idle');

  beforeAll(async () => {
    env = await startDevServer();
    client = new SnapshotWorkerClient(env.client, queue);
  });
  afterAll(() => env?.teardown());

  const terminate = (workflowId: string) => env.client.workflow.getHandle(workflowId).terminate('test done');

  it('a restore of another snapshot into a target being restored is refused, naming what runs', async () => {
    const a = { snapshot: 'snap_a', sourceCollection: 'docs', targetCollection: 'target_t' };
    const running = await client.startRestore(a);
    const b = { snapshot: 'snap_b', sourceCollection: 'other', targetCollection: 'target_t' };
    const refused = client.startRestore(b);
    await expect(refused).rejects.toThrow(WorkflowInputConflictError);
    await expect(refused).rejects.toThrow(
      `a restore with different input is already running as workflow restore:default.target_t (run ${running.firstExecutionRunId}): snapshot "snap_a" (you asked for "snap_b"), sourceCollection "docs" (you asked for "other")`,
    );
    const error = (await refused.catch((err) => err)) as WorkflowInputConflictError;
    expect(error.differences.map((d) => d.field)).toEqual(['snapshot', 'sourceCollection']);

    // The same input (defaults written out or left out) attaches to the running one.
    const again = await client.startRestore({ ...a, onFailure: 'drop-target', verify: { load: false } });
    expect(again.firstExecutionRunId).toBe(running.firstExecutionRunId);

    const cli = await runCli(
      ['restore', '--snapshot', 'snap_b', '--source-collection', 'other', '--target-collection', 'target_t'],
      { TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: queue },
    );
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(
      'a restore with different input is already running as workflow restore:default.target_t',
    );
    expect(cli.stderr).toContain('snapshot "snap_a" (you asked for "snap_b")');
    expect(cli.stdout).toBe('');
    await terminate(running.workflowId);
  });

  it('a backup under the same snapshot name with other labels is refused; the same backup attaches', async () => {
    const input = { collection: 'docs', snapshot: 'docs_same', labels: { env: 'prod' } };
    const running = await client.startBackup(input);
    await expect(client.startBackup({ ...input, labels: { env: 'test' } })).rejects.toThrow(
      'labels.env "prod" (you asked for "test")',
    );
    expect((await client.startBackup(input)).firstExecutionRunId).toBe(running.firstExecutionRunId);
    await terminate(running.workflowId);
  });

  it('a retention with another policy for the same collection is refused; the same one attaches', async () => {
    const input = { collection: 'docs', policy: { keepLast: 3 } };
    const running = await client.startRetention(input);
    await expect(
      client.startRetention({ collection: 'docs', policy: { keepLast: 3, keepWithin: '30d' } }),
    ).rejects.toThrow('policy.keepWithin (absent) (you asked for "30d")');
    expect((await client.startRetention(input)).firstExecutionRunId).toBe(running.firstExecutionRunId);
    await terminate(running.workflowId);
  });

  it('the client refuses an unknown key before starting anything', async () => {
    const start = client.startRetention({
      collection: 'fresh',
      policy: { keepLast: 1, keepWithn: '30d' } as never,
    });
    await expect(start).rejects.toThrow(InputError);
    await expect(start).rejects.toThrow("policy.keepWithn: unknown key; did you mean 'keepWithin'?");
    await expect(env.client.workflow.getHandle('retention:default.fresh').describe()).rejects.toThrow(
      /not found/i,
    );
  });

  it('a workflow started around the client fails at once with InvalidInput naming an unknown key and the valid one meant', async () => {
    const taskQueue = uniqueTaskQueue('invalid');
    // Only the workflow runs: bad input fails before any activity is scheduled.
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace,
      taskQueue,
      workflowBundle: await workflowBundle(),
    });
    const run = worker.run();
    try {
      const failure = await env.client.workflow
        .execute(retentionWorkflow, {
          taskQueue,
          workflowId: 'retention:default.typo',
          args: [{ collection: 'typo', policy: { keepLast: 1, keepWithn: '30d' } } as never],
        })
        .catch((err) => err);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect(failure.cause).toMatchObject({
        type: 'InvalidInput',
        nonRetryable: true,
        message: "invalid retention input: policy.keepWithn: unknown key; did you mean 'keepWithin'?",
      });
    } finally {
      worker.shutdown();
      await run;
    }
  });
});
