import type { WorkflowHandle } from '@temporalio/client';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { seedDemoCollection } from 'milvus-standin';
import { prepareBackupStart } from '../src/contracts/backup';
import { formatSnapshotDescription } from '../src/contracts/snapshot-marker';
import { backupWorkflow } from '../src/workflows/backup';
import { startStack } from '../dev/stack';
import { runPhases, type RunPhases } from './backup-overhead-phases';
import { median } from './median';

const COLLECTION = 'bench_overhead';
const LATENCY_MS = 10;
const RUNS = 15;
const WARMUP = 3;
/**
 * Said explicitly although the CLI dev server has it on: the server hands the next activity to the
 * worker in its reply to the workflow task, without a poll. A self-hosted server's default is off.
 */
const DYNAMIC_CONFIG = { 'system.enableActivityEagerExecution': true };

function ok(what: string, status: { error_code?: unknown; code?: unknown; reason?: string }): void {
  if (status.error_code !== 'Success' && status.code !== 0) throw new Error(`${what}: ${status.reason}`);
}

/**
 * The same RPCs the backup workflow makes, in its order, straight through the SDK: describe
 * (absent), flush, flush state, statistics, create, describe, list. The floor a backup can reach.
 */
async function directBackup(client: MilvusClient, snapshot: string): Promise<void> {
  const ref = { collection_name: COLLECTION, snapshot_name: snapshot };
  const absent = await client.describeSnapshot(ref);
  if (absent.status.code === 0) throw new Error(`${snapshot} exists already`);
  const flush = (await client.flush({ collection_names: [COLLECTION] })) as unknown as {
    status: { code: number; reason: string };
    coll_segIDs: Record<string, { data?: number[] }>;
    coll_flush_ts: Record<string, number>;
  };
  ok('flush', flush.status);
  const state = await client.getFlushState({
    collection_name: COLLECTION,
    segmentIDs: flush.coll_segIDs[COLLECTION]?.data ?? [],
    flush_ts: flush.coll_flush_ts[COLLECTION],
  });
  if (!state.flushed) throw new Error('flush not done at once');
  const stats = await client.getCollectionStatistics({ collection_name: COLLECTION });
  ok('statistics', stats.status);
  const rows = Number(stats.data.row_count);
  const description = formatSnapshotDescription('', {
    labels: {},
    rows,
    flushed: true,
    workflowId: snapshot,
    runId: snapshot,
  });
  ok('createSnapshot', await client.createSnapshot({ ...ref, description }));
  ok('describeSnapshot', (await client.describeSnapshot(ref)).status);
  const listed = await client.listSnapshots({ collection_name: COLLECTION });
  if (!listed.snapshots.includes(snapshot)) throw new Error(`${snapshot} not listed`);
}

/**
 * Orchestration overhead: one backup through the worker (start → result, dev server + stand-in)
 * against the same RPCs made directly with the SDK, on a stand-in answering every RPC after 10 ms.
 * Interleaved (worker, direct, worker, …) so both see the same machine load; medians and their ratio.
 */
export async function run(): Promise<Record<string, number>> {
  const stack = await startStack({ devServer: { dynamicConfig: DYNAMIC_CONFIG } });
  const { client, standin, taskQueue } = stack;
  const sdk = new MilvusClient({ address: standin.address, logLevel: 'warn' });
  try {
    await seedDemoCollection(standin.address, { collection: COLLECTION, rows: 1000, dim: 8 });
    await sdk.connectPromise;
    standin.faults.set({ latencyMs: LATENCY_MS });
    const viaWorker: number[] = [];
    const direct: number[] = [];
    const events: number[] = [];
    const phases: RunPhases[] = [];
    const rpcs = { worker: 0, direct: 0 };
    const calls = () => Object.values(standin.faults.callCounts()).reduce((a, b) => a + b, 0);
    const timed = async (fn: () => Promise<unknown>) => {
      const before = calls();
      const started = process.hrtime.bigint();
      await fn();
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, rpcs: calls() - before };
    };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const { input, workflowId } = prepareBackupStart({ collection: COLLECTION, snapshot: `w_${i}` });
      const handle = { current: undefined as WorkflowHandle | undefined };
      const clock = { startedAt: 0, resultAt: 0 };
      const worker = await timed(async () => {
        clock.startedAt = Date.now();
        handle.current = await client.workflow.start(backupWorkflow, {
          taskQueue,
          workflowId,
          args: [input],
        });
        await handle.current.result();
        clock.resultAt = Date.now();
      });
      if (i >= WARMUP) {
        const history = (await handle.current!.fetchHistory()).events ?? [];
        events.push(history.length);
        phases.push(runPhases(history, clock.startedAt, clock.resultAt));
      }
      const sdkRun = await timed(() => directBackup(sdk, `d_${i}`));
      if (i < WARMUP) continue;
      viaWorker.push(worker.ms);
      direct.push(sdkRun.ms);
      rpcs.worker = worker.rpcs;
      rpcs.direct = sdkRun.rpcs;
    }
    const workerMs = median(viaWorker);
    const directMs = median(direct);
    const phase = (name: keyof RunPhases) => Math.round(median(phases.map((p) => p[name])));
    return {
      latency_per_rpc_ms: LATENCY_MS,
      server_eager_activity_execution: Number(DYNAMIC_CONFIG['system.enableActivityEagerExecution']),
      backup_via_worker_ms_median: Math.round(workerMs),
      backup_direct_sdk_ms_median: Math.round(directMs),
      overhead_ratio_median: Math.round((workerMs / directMs) * 100) / 100,
      milvus_rpcs_via_worker: rpcs.worker,
      milvus_rpcs_direct: rpcs.direct,
      backup_history_events: median(events),
      backup_workflow_tasks: phase('workflowTaskCount'),
      // Where a run through the worker goes (medians of each part, so they need not add up exactly).
      phase_start_to_first_workflow_task_ms: phase('start'),
      phase_workflow_tasks_ms: phase('workflowTasks'),
      phase_activities_ms: phase('activities'),
      phase_server_dispatch_ms: phase('dispatch'),
      phase_result_ms: phase('result'),
      runs: RUNS,
    };
  } finally {
    await sdk.closeConnection();
    await stack.stop();
  }
}
