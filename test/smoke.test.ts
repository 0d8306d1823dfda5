import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startStandin, type Standin } from '../src/milvus-standin';
import { seedDemoCollection } from '../src/milvus-standin/seed';
import { createMilvusGateway } from '../src/milvus/sdk-gateway';
import type { MilvusGateway } from '../src/milvus/gateway';
import { checkMilvusWorkflow } from '../src/workflows';
import { startDevServer, startWorker, type RunningWorker } from './helpers/temporal';

/** The whole chain, all real: Temporal dev server → worker → gateway activity → stand-in over TCP. */
describe('smoke: dev server + worker + gateway activity against the stand-in', () => {
  let env: TestWorkflowEnvironment;
  let standin: Standin;
  let gateway: MilvusGateway;
  let worker: RunningWorker;

  beforeAll(async () => {
    [env, standin] = await Promise.all([startDevServer(), startStandin({ port: 0 })]);
    await seedDemoCollection(standin.address, { collection: 'smoke_items', rows: 50, dim: 8 });
    gateway = createMilvusGateway({ address: standin.address });
    worker = await startWorker(env, gateway);
  });

  afterAll(async () => {
    await worker?.stop();
    await gateway?.close();
    await standin?.stop();
    await env?.teardown();
  });

  it('runs a workflow whose activity reaches Milvus through the gateway', async () => {
    const result = await env.client.workflow.execute(checkMilvusWorkflow, {
      taskQueue: worker.taskQueue,
      workflowId: 'smoke-check-milvus',
      args: [{ db: 'default' }],
    });
    expect(result.healthy).toBe(true);
    expect(result.collections).toContain('smoke_items');
    expect(standin.faults.callCounts().ShowCollections).toBeGreaterThanOrEqual(1);
  });

  it('retries a transient UNAVAILABLE and still succeeds', async () => {
    standin.faults.unavailableNext(2, ['ShowCollections']);
    const handle = await env.client.workflow.start(checkMilvusWorkflow, {
      taskQueue: worker.taskQueue,
      workflowId: 'smoke-check-milvus-retry',
      args: [{ db: 'default' }],
    });
    const result = await handle.result();
    expect(result.collections).toContain('smoke_items');
    const history = await handle.fetchHistory();
    const started = history.events?.find((e) => e.activityTaskStartedEventAttributes);
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(3);
  });
});
