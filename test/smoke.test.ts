import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Standin, seedDemoCollection } from 'milvus-standin';
import { checkMilvusWorkflow } from '../src/workflows';
import { useStack } from './helpers/stack';
import type { RunningWorker } from './helpers/temporal';

/** The whole chain, all real: Temporal dev server → worker → gateway activity → stand-in over TCP. */
describe('smoke: dev server + worker + gateway activity against the stand-in', () => {
  let env: TestWorkflowEnvironment;
  let standin: Standin;
  let worker: RunningWorker;

  useStack(
    {
      prepare: (s) => seedDemoCollection(s.standin.address, { collection: 'smoke_items', rows: 50, dim: 8 }),
    },
    (s) => ({ env, standin, worker } = s),
  );

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
