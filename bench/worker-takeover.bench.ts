import type { WorkflowHandle } from '@temporalio/client';
import { seedDemoCollection } from 'milvus-standin';
import { startStack } from '../dev/stack';
import { startWorker, uniqueTaskQueue } from '../dev/temporal-test-env';
import { waitUntil } from '../dev/wait-until';
import { startWorkerChild } from '../dev/worker-child';
import { seedSnapshot } from '../dev/seed-snapshot';
import { prepareBackupStart } from '../src/contracts/backup';
import { restoreWorkflowId } from '../src/contracts/restore';
import { retentionApplyWorkflowId, retentionWorkflowId } from '../src/contracts/retention';
import { formatSnapshotDescription } from '../src/contracts/snapshot-marker';
import { backupWorkflow } from '../src/workflows/backup';
import { restoreWorkflow } from '../src/workflows/restore';
import { retentionWorkflow } from '../src/workflows/retention';
import type { BareStack } from '../dev/stack';
import { median } from './median';

const KILLS_PER_STEP = 3;
/** The victim's call hangs this long on the stand-in, so the kill lands mid-step. */
const HANG_MS = 30_000;
const DB = 'default';

interface StepCase {
  name: string;
  /** The stand-in method the step calls first; its call marks the step as running on the victim. */
  method: string;
  /** Starts a run whose step will run; returns the handle of the workflow that runs the step. */
  start(stack: BareStack, taskQueue: string, i: number): Promise<WorkflowHandle>;
}

const STEPS: StepCase[] = [
  {
    name: 'retention_drop',
    method: 'DropSnapshot',
    async start({ env, standin, gateway }, taskQueue, i) {
      const collection = `tk_ret_${i}`;
      await seedDemoCollection(standin.address, { collection, rows: 10, dim: 4 });
      const description = formatSnapshotDescription('takeover bench', { labels: {} });
      for (const s of [1, 2])
        await gateway.createSnapshot({ db: DB, collection, snapshot: `${collection}_${s}`, description });
      const input = { db: DB, collection, policy: { keepLast: 1 } };
      await env.client.workflow.start(retentionWorkflow, {
        taskQueue,
        workflowId: retentionWorkflowId(input),
        args: [input],
      });
      return env.client.workflow.getHandle(retentionApplyWorkflowId({ db: DB, collection }));
    },
  },
  {
    name: 'backup_create',
    method: 'CreateSnapshot',
    async start({ env, standin }, taskQueue, i) {
      const collection = `tk_backup_${i}`;
      await seedDemoCollection(standin.address, { collection, rows: 10, dim: 4 });
      const { input, workflowId } = prepareBackupStart({ collection, snapshot: `${collection}_s` });
      return env.client.workflow.start(backupWorkflow, { taskQueue, workflowId, args: [input] });
    },
  },
  {
    name: 'restore_start',
    method: 'ListRestoreSnapshotJobs',
    async start({ env, standin, gateway }, taskQueue, i) {
      const args = {
        snapshot: `tk_snap_${i}`,
        sourceCollection: `tk_src_${i}`,
        targetCollection: `tk_dst_${i}`,
      };
      await seedSnapshot(
        { standin, gateway },
        {
          collection: args.sourceCollection,
          snapshot: args.snapshot,
          rows: 10,
        },
      );
      return env.client.workflow.start(restoreWorkflow, {
        taskQueue,
        workflowId: restoreWorkflowId(args),
        args: [args],
      });
    },
  },
];

const totalCalls = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

function eventMs(time: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
}

/**
 * One kill: the victim (a worker process) runs the step, hanging in its Milvus call; the rescuer (a
 * worker in this process) already polls the queue; SIGKILL the victim. takeover = kill → the
 * rescuer's first Milvus call (the retried step); resume = kill → the rescuer's first completed
 * workflow task of the step's workflow (includes the sticky-queue timeout).
 */
async function killOnce(
  stack: BareStack,
  step: StepCase,
  i: number,
): Promise<{ takeoverMs: number; resumeMs: number }> {
  const { env, standin, gateway } = stack;
  const taskQueue = uniqueTaskQueue(`takeover-${step.name}`);
  const victim = await startWorkerChild({
    temporalAddress: env.address,
    taskQueue,
    milvusAddress: standin.address,
  });
  const rescuer = await (async () => {
    standin.faults.set({ latencyByMethod: { [step.method]: HANG_MS } });
    const before = standin.faults.callCounts()[step.method] ?? 0;
    const handle = await step.start(stack, taskQueue, i);
    await waitUntil(
      async () => standin.faults.callCounts()[step.method] ?? 0,
      (n) => n > before,
      120_000,
      10,
    );
    return { handle, worker: await startWorker(env, gateway, taskQueue) };
  })();
  try {
    const callsBefore = totalCalls(standin.faults.callCounts());
    await victim.kill();
    const killedAt = Date.now();
    standin.faults.set({ latencyByMethod: {} });
    await waitUntil(
      async () => totalCalls(standin.faults.callCounts()),
      (n) => n > callsBefore,
      120_000,
      10,
    );
    const takeoverMs = Date.now() - killedAt;
    const identity = rescuer.worker.worker.options.identity;
    const resumed = await waitUntil(
      async () =>
        ((await rescuer.handle.fetchHistory()).events ?? []).find(
          (e) => e.workflowTaskCompletedEventAttributes?.identity === identity,
        ),
      (e) => e !== undefined,
      120_000,
      100,
    );
    return { takeoverMs, resumeMs: eventMs(resumed?.eventTime) - killedAt };
  } finally {
    await victim.kill();
    await rescuer.worker.stop();
  }
}

/**
 * Issue 12 item 4: with a second worker already running, a SIGKILLed worker's step is taken over
 * within 10 s. Medians of several kills per step (worker process start-up excluded: the rescuer
 * already runs).
 */
export async function run(): Promise<Record<string, number>> {
  const stack = await startStack({ worker: false });
  const results: Record<string, number> = {};
  try {
    for (const step of STEPS) {
      const samples = [];
      for (let i = 0; i < KILLS_PER_STEP; i++) samples.push(await killOnce(stack, step, i));
      results[`${step.name}_takeover_ms_median`] = median(samples.map((s) => s.takeoverMs));
      results[`${step.name}_takeover_ms_max`] = Math.max(...samples.map((s) => s.takeoverMs));
      results[`${step.name}_resume_ms_median`] = median(samples.map((s) => s.resumeMs));
    }
    results.kills_per_step = KILLS_PER_STEP;
    return results;
  } finally {
    await stack.stop();
  }
}
