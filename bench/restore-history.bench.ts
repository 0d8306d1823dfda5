import { restoreWorkflow } from '../src/workflows/restore';
import { restoreWorkflowId } from '../src/contracts/restore';
import { historyEventCount } from '../dev/history-events';
import { seedSnapshot } from '../dev/seed-snapshot';
import { startStack } from '../dev/stack';

const HOUR_MS = 3600_000;
/** Each simulated restore takes this long in real time, whatever its simulated length. */
const REAL_MS = 8_000;

/**
 * The durable wait's history cost against the restore's length: simulated 1 h, 6 h and 24 h
 * restores on the dev server + stand-in (time scaled), default poll settings. The target is that
 * the count stays flat (and under 100) however long the restore runs.
 */
export async function run(): Promise<Record<string, number>> {
  const stack = await startStack();
  const { client, standin, taskQueue } = stack;
  const results: Record<string, number> = {};
  try {
    await seedSnapshot(stack, {
      collection: 'bench_restore',
      snapshot: 'bench_snap',
      rows: 500,
    });
    for (const hours of [1, 6, 24]) {
      standin.faults.set({ restoreDurationMs: hours * HOUR_MS, timeScale: (hours * HOUR_MS) / REAL_MS });
      const args = {
        snapshot: 'bench_snap',
        sourceCollection: 'bench_restore',
        targetCollection: `bench_target_${hours}h`,
        pollInterval: '1s',
      };
      const started = Date.now();
      const handle = await client.workflow.start(restoreWorkflow, {
        taskQueue,
        workflowId: restoreWorkflowId(args),
        args: [args],
      });
      await handle.result();
      results[`events_${hours}h_restore`] = await historyEventCount(handle);
      results[`wall_ms_${hours}h_restore`] = Date.now() - started;
    }
    results.events_ratio_24h_to_1h =
      Math.round((results.events_24h_restore / results.events_1h_restore) * 100) / 100;
    return results;
  } finally {
    await stack.stop();
  }
}
