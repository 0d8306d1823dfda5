import { seedDemoCollection } from 'milvus-standin';
import { checkMilvusWorkflow } from '../src/workflows';
import { useStack } from './helpers/stack';

/** The whole chain, all real: Temporal dev server → worker → gateway activity → stand-in over TCP. */
describe('smoke: dev server + worker + gateway activity against the stand-in', () => {
  const stack = useStack({
    prepare: (s) => seedDemoCollection(s.standin.address, { collection: 'smoke_items', rows: 50, dim: 8 }),
  });

  it('runs a workflow whose activity reaches Milvus through the gateway', async () => {
    const result = await stack().client.workflow.execute(checkMilvusWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: 'smoke-check-milvus',
      args: [{ db: 'default' }],
    });
    expect(result.healthy).toBe(true);
    expect(result.collections).toContain('smoke_items');
    expect(stack().standin.faults.callCounts().ShowCollections).toBeGreaterThanOrEqual(1);
  });

  it('retries a transient UNAVAILABLE and still succeeds', async () => {
    stack().standin.faults.unavailableNext(2, ['ShowCollections']);
    const handle = await stack().client.workflow.start(checkMilvusWorkflow, {
      taskQueue: stack().taskQueue,
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
