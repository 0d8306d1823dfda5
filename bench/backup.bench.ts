import { seedDemoCollection } from 'milvus-standin';
import type { BackupResult } from '../src/contracts/backup';
import { prepareBackupStart } from '../src/contracts/backup';
import { backupWorkflow } from '../src/workflows/backup';
import { historyEventCount } from '../dev/history-events';
import { startStack } from '../dev/stack';
import { median } from './median';

const ROWS = 10_000;
const RUNS = 7;
const WARMUP = 2;

/**
 * Backup end to end on the Temporal dev server + stand-in (10,000 rows, dim 8): median wall time
 * per run and per step, history events per run, and the cost of verifyRowsByRestore.
 */
export async function run(): Promise<Record<string, number>> {
  const stack = await startStack();
  const { client, standin, taskQueue } = stack;
  try {
    await seedDemoCollection(standin.address, { collection: 'bench_backup', rows: ROWS, dim: 8 });
    standin.faults.set({ restoreDurationMs: 200 });
    const measure = async (restore: boolean) => {
      const samples: { wallMs: number; events: number; result: BackupResult }[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const { input, workflowId } = prepareBackupStart({
          collection: 'bench_backup',
          snapshot: `bench_${restore ? 'r' : 'p'}_${i}`,
          verifyRowsByRestore: restore,
        });
        const started = process.hrtime.bigint();
        const handle = await client.workflow.start(backupWorkflow, {
          taskQueue,
          workflowId,
          args: [input],
        });
        const result = await handle.result();
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        const events = await historyEventCount(handle);
        if (i >= WARMUP) samples.push({ wallMs, events, result });
      }
      return samples;
    };
    const plain = await measure(false);
    const restored = await measure(true);
    const step = (s: typeof plain, key: keyof BackupResult['durationsMs']) =>
      median(s.map((x) => x.result.durationsMs[key] ?? 0));
    return {
      backup_wall_ms_median: Math.round(median(plain.map((s) => s.wallMs))),
      backup_step_inspect_ms_median: step(plain, 'inspect'),
      backup_step_flush_ms_median: step(plain, 'flush'),
      backup_step_count_ms_median: step(plain, 'count'),
      backup_step_create_ms_median: step(plain, 'create'),
      backup_step_verify_ms_median: step(plain, 'verify'),
      backup_history_events: median(plain.map((s) => s.events)),
      backup_with_restore_check_wall_ms_median: Math.round(median(restored.map((s) => s.wallMs))),
      backup_restore_check_step_ms_median: step(restored, 'restoreCount'),
      rows: ROWS,
    };
  } finally {
    await stack.stop();
  }
}
