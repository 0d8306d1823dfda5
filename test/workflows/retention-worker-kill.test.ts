import { seedDemoCollection, type Standin } from 'milvus-standin';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { formatSnapshotDescription } from '../../src/contracts/snapshot-marker';
import { retentionApplyWorkflowId, retentionWorkflowId } from '../../src/contracts/retention';
import { retentionWorkflow } from '../../src/workflows/retention';
import { attemptsOf } from '../helpers/activity-history';
import { startStack, type BareStack } from '../helpers/stack';
import { startWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/temporal';
import { waitUntil } from '../../dev/wait-until';
import { startWorkerChild, type WorkerChild } from '../../dev/worker-child';

/**
 * A worker dies by SIGKILL while a retention drop is on the wire; a second worker already polls
 * the queue. The drop heartbeats (every activity does while it runs), so the second worker retries
 * it once the 5 s heartbeat timeout passes, long before the drop's 2 min start-to-close timeout.
 * Takeover times per step are measured in bench/worker-takeover.bench.ts.
 */

const DB = 'default';
const COLLECTION = 'kill_retention';
/** The killed worker's DropSnapshot hangs this long, far longer than a takeover through heartbeats. */
const HANGING_DROP_MS = 30_000;
/** Generous: the step's start-to-close timeout is 2 min, a takeover through heartbeats ~5–10 s. */
const WELL_BEFORE_START_TO_CLOSE_MS = 60_000;

describe('retention drop after a worker SIGKILL', () => {
  let env: TestWorkflowEnvironment;
  let standin: Standin;
  let gateway: MilvusGateway;
  let stack: BareStack | undefined;
  let child: WorkerChild | undefined;
  let second: RunningWorker | undefined;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    ({ env, standin, gateway } = stack);
    await seedDemoCollection(standin.address, { collection: COLLECTION, rows: 20, dim: 4 });
    const description = formatSnapshotDescription('kill test', { labels: {} });
    for (const i of [1, 2, 3])
      await gateway.createSnapshot({
        db: DB,
        collection: COLLECTION,
        snapshot: `${COLLECTION}_s${i}`,
        description,
      });
  });

  afterAll(async () => {
    await child?.kill();
    await second?.stop();
    await stack?.stop();
  });

  it('is retried by the second worker well before its start-to-close timeout', async () => {
    const taskQueue = uniqueTaskQueue('retention-kill');
    child = await startWorkerChild({
      temporalAddress: env.address,
      taskQueue,
      milvusAddress: standin.address,
    });
    standin.faults.set({ latencyByMethod: { DropSnapshot: HANGING_DROP_MS } });
    const input = { db: DB, collection: COLLECTION, policy: { keepLast: 1 } };
    const handle = await env.client.workflow.start(retentionWorkflow, {
      taskQueue,
      workflowId: retentionWorkflowId(input),
      args: [input],
    });
    // The first worker's drop is on the wire (the stand-in counted it and hangs on it).
    await waitUntil(
      async () => standin.faults.callCounts().DropSnapshot ?? 0,
      (n) => n > 0,
      60_000,
      20,
    );
    second = await startWorker(env, gateway, taskQueue);
    await child.kill();
    const killedAt = Date.now();
    standin.faults.set({ latencyByMethod: {} });

    const result = await handle.result();
    const finishedAfterMs = Date.now() - killedAt;

    expect(result.totals).toMatchObject({ dropped: 2, failed: 0 });
    expect(await gateway.listSnapshots({ db: DB, collection: COLLECTION })).toHaveLength(1);
    const apply = env.client.workflow.getHandle(retentionApplyWorkflowId({ db: DB, collection: COLLECTION }));
    const attempts = await attemptsOf(apply, 'dropSnapshotForRetention');
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
    // The retried attempts ran on the second worker.
    const startedBy = ((await apply.fetchHistory()).events ?? [])
      .filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 0) >= 2)
      .map((e) => e.activityTaskStartedEventAttributes?.identity);
    expect(new Set(startedBy)).toEqual(new Set([second.worker.options.identity]));
    expect(finishedAfterMs).toBeLessThan(WELL_BEFORE_START_TO_CLOSE_MS);
    console.log(`[retention-kill] retention finished ${finishedAfterMs} ms after the kill`);
  }, 240_000);
});
