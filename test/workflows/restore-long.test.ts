import { RESTORE_PROGRESS } from '../../src/temporal/search-attributes';
import { restoreWorkflow } from '../../src/workflows/restore';
import { restoreProgressQuery, restoreWorkflowId } from '../../src/contracts/restore';
import { historyEventTypes } from '../../dev/history-events';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../helpers/wait-until';
import { useStack } from '../helpers/stack';

const DAY_MS = 24 * 3600 * 1000;
/** A simulated 24-hour restore in 30 s of real time. */
const TIME_SCALE = DAY_MS / 30_000;

/**
 * The durable wait's history cost does not grow with the restore's length: a simulated 24-hour
 * restore must stay under 100 history events, progress signals included.
 */
describe('restoreWorkflow on a simulated 24-hour restore', () => {
  const stack = useStack({
    prepare: (s) =>
      seedSnapshot(s, {
        collection: 'long_items',
        snapshot: 'long_snap',
        rows: 200,
      }),
  });

  it('finishes with a bounded history and shows progress while it runs', async () => {
    stack().standin.faults.set({ restoreDurationMs: DAY_MS, timeScale: TIME_SCALE });
    const args = { snapshot: 'long_snap', sourceCollection: 'long_items', targetCollection: 'long_target' };
    const handle = await stack().client.workflow.start(restoreWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: restoreWorkflowId(args),
      // A 1 s base poll sees (nearly) every 10% step: the worst case for progress signals. Polls
      // themselves cost no history; the default 6 h timeout is workflow time, not simulated time.
      args: [{ ...args, pollInterval: '1s' }],
    });

    const midway = await waitUntil(
      () => handle.query(restoreProgressQuery),
      (p) => p.state === 'Executing' && p.progress >= 30 && p.progress < 100,
      40_000,
      500,
    );
    expect(midway.jobId).toMatch(/^\d+$/);
    const shown = (await handle.describe()).typedSearchAttributes.get(RESTORE_PROGRESS);
    expect(shown).toBeGreaterThanOrEqual(30);

    const result = await handle.result();
    expect(result.verifiedRowCount).toBe(200);
    expect(result.milvusTimeCostMs).toBeGreaterThanOrEqual(DAY_MS);

    const types = await historyEventTypes(handle);
    const signals = types.filter((t) => t === 'WORKFLOW_EXECUTION_SIGNALED').length;
    console.log(
      `[restore-long] simulated ${result.milvusTimeCostMs / 3600_000} h restore: ${types.length} history events (${signals} progress signals)`,
    );
    if (types.length >= 100) console.log(types.join('\n'));
    expect(types.length).toBeLessThan(100);
    expect(signals).toBeGreaterThanOrEqual(7); // progress really did flow to the workflow
    expect(signals).toBeLessThanOrEqual(10); // Executing, then one per 10% step
  });
});
