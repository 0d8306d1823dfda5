import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { demoRow } from 'milvus-standin';
import { fleetWorkflowId, type FleetInput } from '../src/contracts/fleet';
import { fleetWorkflow } from '../src/workflows/fleet';
import { startStack } from '../dev/stack';
import { uniqueTaskQueue } from '../dev/temporal-test-env';
import { startWorkerChild } from '../dev/worker-child';

const COLLECTIONS = 1000;
const CAP = 8;
/** Stand-in latency per RPC: without it every call ends before the next starts and the cap is never reached. */
const LATENCY_MS = 10;
const SEED_PARALLEL = 16;

/** 10 demo rows in each collection, through one SDK client (a client per collection costs seconds of CPU). */
async function seedCollections(address: string, names: string[]): Promise<void> {
  const sdk = new MilvusClient({ address, logLevel: 'warn' });
  const ok = (what: string, status: { code?: number; reason?: string }) => {
    if (status.code !== 0) throw new Error(`${what}: ${status.reason}`);
  };
  try {
    for (let i = 0; i < names.length; i += SEED_PARALLEL) {
      await Promise.all(
        names.slice(i, i + SEED_PARALLEL).map(async (collection_name) => {
          const created = await sdk.createCollection({
            collection_name,
            fields: [
              { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
              { name: 'vector', data_type: DataType.FloatVector, dim: 4 },
            ],
            index_params: [{ field_name: 'vector', index_type: 'AUTOINDEX', metric_type: 'L2' }],
          });
          ok('createCollection', created as { code?: number; reason?: string });
          const data = Array.from({ length: 10 }, (_, k) => ({ id: k + 1, vector: demoRow(k, 4).vector }));
          ok('insert', (await sdk.insert({ collection_name, data })).status);
        }),
      );
    }
  } finally {
    await sdk.closeConnection();
  }
}

/** Peak resident set of a process so far (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB$/m);
  return line ? Math.round(Number(line[1]) / 1024) : NaN;
}

/** Events of every run of a workflow id, following continue-as-new from the first run. */
async function eventsPerRun(
  first: WorkflowHandle,
  get: (runId: string) => WorkflowHandle,
): Promise<number[]> {
  const counts: number[] = [];
  for (let handle: WorkflowHandle | undefined = first; handle;) {
    const events: temporal.api.history.v1.IHistoryEvent[] = (await handle.fetchHistory()).events ?? [];
    counts.push(events.length);
    const next: string | null | undefined =
      events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    handle = next ? get(next) : undefined;
  }
  return counts;
}

/**
 * A backup fleet over 1,000 collections (10 rows each, unflushed: the backups flush) on the stand-in
 * answering every RPC after 10 ms, through one worker in its own process (so its peak RSS is its
 * own), with a cap of 8 Milvus calls: wall time, the worker's peak RSS, the most Milvus calls the
 * stand-in saw in flight at once (must not exceed the cap: the run fails if it does), the history
 * events of each of the fleet's runs, and the machine's 1-minute load average when it started.
 */
export async function run(): Promise<Record<string, number>> {
  const stack = await startStack({ worker: false });
  const { client, standin, env } = stack;
  const taskQueue = uniqueTaskQueue('fleet-bench');
  const names = Array.from({ length: COLLECTIONS }, (_, i) => `fleet_${String(i).padStart(4, '0')}`);
  let worker: Awaited<ReturnType<typeof startWorkerChild>> | undefined;
  try {
    await seedCollections(standin.address, names);
    worker = await startWorkerChild({
      temporalAddress: env.connection.options.address as string,
      taskQueue,
      milvusAddress: standin.address,
    });
    const input: FleetInput = { operation: 'backup', collectionPattern: 'fleet_*', maxConcurrency: CAP };
    standin.faults.set({ latencyMs: LATENCY_MS });
    standin.faults.resetConcurrency();
    const loadAtStart = loadavg()[0];
    const started = process.hrtime.bigint();
    const handle = await client.workflow.start(fleetWorkflow, {
      taskQueue,
      workflowId: fleetWorkflowId(input),
      args: [input],
    });
    const result = await handle.result();
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const peakCalls = standin.faults.concurrency().peak;
    const rssMb = peakRssMb(worker.process.pid!);
    const first = client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    const events = await eventsPerRun(first, (runId) => client.workflow.getHandle(handle.workflowId, runId));
    if (result.totals.done !== COLLECTIONS) throw new Error(`fleet: ${JSON.stringify(result.totals)}`);
    const figures = {
      collections: COLLECTIONS,
      max_concurrency_cap: CAP,
      latency_per_rpc_ms: LATENCY_MS,
      load_avg_1m_at_start: Math.round(loadAtStart * 100) / 100,
      wall_s: Math.round(wallMs / 100) / 10,
      collections_per_s: Math.round((COLLECTIONS / (wallMs / 1000)) * 10) / 10,
      worker_peak_rss_mb: rssMb,
      standin_peak_concurrent_rpcs: peakCalls,
      parent_runs: events.length,
      parent_history_events_max_per_run: Math.max(...events),
      parent_history_events_total: events.reduce((a, b) => a + b, 0),
      ...Object.fromEntries(events.map((n, i) => [`parent_history_events_run_${i + 1}`, n])),
    };
    if (peakCalls > CAP)
      throw new Error(
        `fleet: ${peakCalls} Milvus calls in flight at once, cap ${CAP}: ${JSON.stringify(figures)}`,
      );
    return figures;
  } finally {
    await worker?.kill();
    await stack.stop();
  }
}
