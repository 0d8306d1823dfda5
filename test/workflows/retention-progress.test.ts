import { seedDemoCollection } from 'milvus-standin';
import { waitUntil } from '../../dev/wait-until';
import { SnapshotWorkerClient } from '../../src/client';
import { retentionApplyWorkflowId, type RetentionProgress } from '../../src/contracts/retention';
import { useStack } from '../helpers/stack';

const DB = 'default';

/**
 * The retention progress query through the real server: asked while the run drops (slow drops from
 * the stand-in's latency fault) and after it ended (the worker replays the closed run to answer).
 */
describe('retention progress query', () => {
  const stack = useStack();
  const client = () => new SnapshotWorkerClient(stack().client, stack().taskQueue);
  afterEach(() => stack().standin.faults.reset());

  async function collectionWithSnapshots(collection: string, count: number): Promise<void> {
    await seedDemoCollection(stack().standin.address, { collection, rows: 10, dim: 4 });
    for (let i = 0; i < count; i++)
      await stack().gateway.createSnapshot({ db: DB, collection, snapshot: `${collection}_s${i}` });
  }

  const accounted = (p: RetentionProgress) => p.kept + p.dropped + p.failed + p.pending;

  it('answers the plan size, kept/dropped so far and the step mid-run, and the final account after', async () => {
    await collectionWithSnapshots('prog_one', 10);
    stack().standin.faults.set({ latencyByMethod: { DropSnapshot: 300 } });
    const handle = await client().startRetention({
      collection: 'prog_one',
      policy: { keepLast: 2, scope: 'all' },
      maxConcurrentDrops: 1,
      dropBatchSize: 3,
    });
    const mid = await waitUntil(
      () => client().retentionProgress(handle.workflowId),
      (p) => p.step === 'dropping' && p.dropped > 0 && p.pending > 0,
    );
    expect(mid).toMatchObject({
      planned: 10,
      kept: 2,
      failed: 0,
      dryRun: false,
      applyWorkflowId: retentionApplyWorkflowId({ db: DB, collection: 'prog_one' }),
    });
    expect(accounted(mid)).toBe(10);
    const later = await waitUntil(
      () => client().retentionProgress(handle.workflowId),
      (p) => p.runs > 1,
    );
    expect(later.dropped).toBeGreaterThanOrEqual(mid.dropped);
    expect(accounted(later)).toBe(10);

    const result = await handle.result();
    const after = await client().retentionProgress(handle.workflowId);
    expect(after).toEqual({
      step: 'done',
      dryRun: false,
      planned: 10,
      kept: 2,
      dropped: 8,
      failed: 0,
      pending: 0,
      renewed: 0,
      runs: result.detail!.runs,
      applyWorkflowId: retentionApplyWorkflowId({ db: DB, collection: 'prog_one' }),
    });
    expect(result.detail!.runs).toBe(3); // 8 drops in batches of 3
  });

  it('a dry run answers its would-drops as pending; a pattern run counts collections', async () => {
    await collectionWithSnapshots('prog_many_1', 3);
    await collectionWithSnapshots('prog_many_2', 4);
    const dry = await client().startRetention({
      collection: 'prog_many_1',
      policy: { keepLast: 1, scope: 'all' },
      dryRun: true,
    });
    await dry.result();
    await expect(client().retentionProgress(dry.workflowId)).resolves.toMatchObject({
      step: 'done',
      dryRun: true,
      planned: 3,
      kept: 1,
      dropped: 0,
      pending: 2,
    });

    const pattern = await client().startRetention({
      collectionPattern: 'prog_many_?',
      policy: { keepLast: 1, scope: 'all' },
    });
    await pattern.result();
    await expect(client().retentionProgress(pattern.workflowId)).resolves.toMatchObject({
      step: 'done',
      planned: 7,
      kept: 2,
      dropped: 5,
      pending: 0,
      collections: { done: 2, total: 2 },
    });
  });
});
