import { seedDemoCollection } from 'milvus-standin';
import { drillWorkflow } from '../src/workflows/drill';
import { drillWorkflowId } from '../src/contracts/drill';
import { type DrillReport } from '../src/drill/report';
import { historyEventCount } from '../dev/history-events';
import { startStack } from '../dev/stack';
import { median } from './median';

const ROWS = 3000;
const DIM = 64;
const RESTORE_MS = 1500;
const RUNS = 5;
const WARMUP = 1;

/**
 * The drill end to end on the dev server + stand-in (the demo: 3,000 rows × dim 64, a restore that
 * takes 1.5 s): median wall time, RTO, RPO and verify time, with the default 200-key sample and with
 * every row compared, and the history events per drill (parent only).
 */
export async function run(): Promise<Record<string, number>> {
  const stack = await startStack();
  const { client, standin, taskQueue } = stack;
  try {
    await seedDemoCollection(standin.address, { collection: 'bench_drill', rows: ROWS, dim: DIM });
    standin.faults.set({ restoreDurationMs: RESTORE_MS });
    let n = 0;
    const measure = async (sampleSize: number) => {
      const samples: { wallMs: number; events: number; report: DrillReport }[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const input = { collection: 'bench_drill', sampleSize, restorePollInterval: '200ms' };
        const started = process.hrtime.bigint();
        const handle = await client.workflow.start(drillWorkflow, {
          taskQueue,
          workflowId: drillWorkflowId(input, `bench-${++n}`),
          args: [input],
        });
        const report = await handle.result();
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        if (report.outcome !== 'pass') throw new Error(`bench drill failed: ${report.reasons.join('; ')}`);
        const events = await historyEventCount(handle);
        if (i >= WARMUP) samples.push({ wallMs, events, report });
      }
      return samples;
    };
    const stepMs = (s: { report: DrillReport }[], name: string) =>
      median(s.map((x) => x.report.steps.find((step) => step.name === name)?.durationMs ?? 0));
    const sampled = await measure(200);
    const everyRow = await measure(ROWS);
    const rto = median(sampled.map((s) => s.report.rto.measuredMs ?? 0));
    return {
      drill_wall_ms_median: Math.round(median(sampled.map((s) => s.wallMs))),
      rto_ms_median: Math.round(rto),
      rto_minus_standin_restore_ms: Math.round(rto - RESTORE_MS),
      rpo_ms_median: Math.round(median(sampled.map((s) => s.report.rpo.measuredMs ?? 0))),
      backup_step_ms_median: Math.round(stepMs(sampled, 'backup')),
      restore_step_ms_median: Math.round(stepMs(sampled, 'restore')),
      verify_200_keys_ms_median: Math.round(stepMs(sampled, 'verify')),
      verify_all_3000_rows_ms_median: Math.round(stepMs(everyRow, 'verify')),
      cleanup_step_ms_median: Math.round(stepMs(sampled, 'cleanup')),
      history_events_per_drill: median(sampled.map((s) => s.events)),
    };
  } finally {
    await stack.stop();
  }
}
