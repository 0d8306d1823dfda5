import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { prepareBackupStart } from '../../src/contracts/backup';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';
import { backupWorkflow } from '../../src/workflows/backup';
import { checkMilvusWorkflow } from '../../src/workflows';
import { activityTypes, attemptsOf } from '../helpers/activity-history';
import { rejectionOf } from '../helpers/failure';
import { REAL_MILVUS_VERSION, startRealMilvus, type RealMilvus } from '../helpers/real-milvus';
import { startDevServer, startWorker, type RunningWorker } from '../helpers/temporal';

/**
 * The version gate at the product level: a worker pointed at a real Milvus 2.3.5 (PyPI `milvus`,
 * no snapshot RPCs) still runs its non-snapshot work, and a backup fails at once, non-retryably,
 * with one line naming the version found and the one needed, instead of Milvus's "unimplemented".
 */
describe(`backupWorkflow against a real Milvus ${REAL_MILVUS_VERSION}`, () => {
  let milvus: RealMilvus;
  let env: TestWorkflowEnvironment;
  let gateway: MilvusGateway;
  let worker: RunningWorker;

  beforeAll(async () => {
    [milvus, env] = await Promise.all([startRealMilvus(), startDevServer()]);
    const client = new MilvusClient({ address: milvus.address, logLevel: 'warn' });
    try {
      await client.connectPromise;
      const created = await client.createCollection({
        collection_name: 'gate_items',
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
          { name: 'vector', data_type: DataType.FloatVector, dim: 4 },
        ],
      });
      expect(created.error_code).toBe('Success');
    } finally {
      await client.closeConnection();
    }
    gateway = createMilvusGateway({ address: milvus.address });
    worker = await startWorker(env, gateway);
  }, 300_000);

  afterAll(async () => {
    await worker?.stop();
    await gateway?.close();
    await Promise.allSettled([milvus?.stop(), env?.teardown()]);
  });

  it('the worker reaches it: checkMilvusWorkflow reports it healthy with its version', async () => {
    const result = await env.client.workflow.execute(checkMilvusWorkflow, {
      taskQueue: worker.taskQueue,
      workflowId: 'gate-check-milvus',
    });
    expect(result).toMatchObject({ healthy: true, db: 'default', collections: ['gate_items'] });
    expect(result.version.startsWith(`v${REAL_MILVUS_VERSION}`)).toBe(true);
  });

  it('a backup fails at once with the version found and needed, never retried, before any flush', async () => {
    const { input, workflowId } = prepareBackupStart({ collection: 'gate_items', snapshot: 'gate_items_s' });
    const handle = await env.client.workflow.start(backupWorkflow, {
      taskQueue: worker.taskQueue,
      workflowId,
      args: [input],
    });
    const err = await rejectionOf(handle.result(), WorkflowFailedError);
    const cause = err.cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause.type).toBe('UnsupportedVersion');
    expect(cause.nonRetryable).toBe(true);
    const version = REAL_MILVUS_VERSION.replace(/\./g, '\\.');
    expect(cause.message).toMatch(
      new RegExp(
        `^inspectSnapshot: describeSnapshot: Milvus at ${milvus.address} is v${version}\\S*; snapshots need Milvus 3\\.0 or later$`,
      ),
    );
    expect(await attemptsOf(handle, 'inspectSnapshot')).toEqual([1]);
    expect(await activityTypes(handle)).toEqual(['inspectSnapshot']);
  });
});
