import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editPersistedState, startStandin, type Standin, seedDemoCollection } from 'milvus-standin';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';
import { epochMsToHybridTs } from '../../src/milvus/sdk-gateway';
import { REASON } from '../../src/policy/plan-retention';
import { formatSnapshotDescription } from '../../src/contracts/snapshot-marker';
import { retentionWorkflow } from '../../src/workflows/retention';
import {
  retentionApplyWorkflowId,
  retentionWorkflowId,
  type RetentionInput,
} from '../../src/contracts/retention';
import { startStack, type Stack } from '../helpers/stack';
import { recordHistory } from '../helpers/history-json';
import type { RunningWorker } from '../helpers/temporal';
import {
  GFS_EVERY_MS,
  GFS_EXPECTED_KEPT,
  GFS_RULES,
  GFS_SNAPSHOT_COUNT,
  GFS_START_MS,
} from '../policy/gfs-scenario';

/**
 * Retention end to end: Temporal dev server, a real worker, the stand-in over TCP through the SDK
 * gateway. Snapshot times for the GFS table are set by editing the stand-in's own persisted state
 * between two starts (Milvus offers no way to backdate a snapshot).
 */

const DB = 'default';
const ours = (text = 'retention test') => formatSnapshotDescription(text, { labels: { suite: 'retention' } });

let env: TestWorkflowEnvironment;
let standin: Standin;
let gateway: MilvusGateway;
let worker: RunningWorker;
let stack: Stack | undefined;
let dataDir: string;

async function collectionWithSnapshots(
  gw: MilvusGateway,
  address: string,
  collection: string,
  count: number,
  describe: (i: number) => string = () => ours(),
): Promise<string[]> {
  await seedDemoCollection(address, { collection, rows: 20, dim: 4 });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const snapshot = `${collection}_s${String(i).padStart(4, '0')}`;
    await gw.createSnapshot({ db: DB, collection, snapshot, description: describe(i) });
    names.push(snapshot);
  }
  return names;
}

/** Rewrites the persisted create_ts of a collection's snapshots: the i-th gets `timeOf(i)`. */
function backdate(dir: string, collection: string, timeOf: (i: number) => number): void {
  editPersistedState(dir, (state) => {
    const mine = state.snapshots
      .filter((s) => s.collection === collection)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    mine.forEach((s, i) => (s.createTs = epochMsToHybridTs(timeOf(i))));
  });
}

async function remaining(collection: string): Promise<string[]> {
  return (await gateway.listSnapshots({ db: DB, collection })).sort();
}

function dropCalls(): number {
  return standin.faults.callCounts().DropSnapshot ?? 0;
}

async function run(input: RetentionInput, workflowId = retentionWorkflowId(input)) {
  const handle = await env.client.workflow.start(retentionWorkflow, {
    taskQueue: worker.taskQueue,
    workflowId,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return { handle, result: await handle.result() };
}

type HistoryLike = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/** Every run of a workflow chain (continue-as-new), first to last, with its event count. */
async function runChain(
  handle: WorkflowHandle,
  firstRunId: string,
): Promise<{ runId: string; events: number }[]> {
  const runs: { runId: string; events: number }[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: HistoryLike = await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    runs.push({ runId, events: events.length });
    runId =
      events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ??
      undefined;
  }
  return runs;
}

/** The run chain of the child that did the work of a single-collection run. */
async function applyRunChain(handle: WorkflowHandle): Promise<{ runId: string; events: number }[]> {
  const history = await handle.fetchHistory();
  const started = (history.events ?? []).find((e) => e.childWorkflowExecutionStartedEventAttributes)
    ?.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
  return runChain(env.client.workflow.getHandle(started!.workflowId!), started!.runId!);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'retention-standin-'));
  // First start: make the GFS collection's 160 snapshots, then stop and give them a 6-hourly history.
  const first = await startStandin({ port: 0, dataDir });
  const firstGateway = createMilvusGateway({ address: first.address });
  await collectionWithSnapshots(firstGateway, first.address, 'ret_gfs', GFS_SNAPSHOT_COUNT);
  await firstGateway.close();
  await first.stop();
  backdate(dataDir, 'ret_gfs', (i) => GFS_START_MS + i * GFS_EVERY_MS);

  stack = await startStack({ standin: { dataDir } });
  ({ env, standin, gateway, worker } = stack);
});

afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => standin.faults.reset());

describe('retention workflow (dev server + stand-in)', () => {
  it('applies a GFS policy: keeps last/hourly/daily/weekly/monthly/yearly, drops the rest', async () => {
    const before = dropCalls();
    const input: RetentionInput = {
      db: DB,
      collection: 'ret_gfs',
      policy: { ...GFS_RULES },
    };
    const { handle, result } = await run(input);
    const kept = result.detail!.kept.map((k) => [
      new Date(k.createTs).toISOString().slice(0, 13),
      k.reasons.join(', '),
    ]);
    expect(kept).toEqual(GFS_EXPECTED_KEPT);
    expect(result.detail!.dropped).toHaveLength(153);
    expect(result.detail!.failed).toEqual([]);
    expect(dropCalls() - before).toBe(153);
    expect(await remaining('ret_gfs')).toEqual(result.detail!.kept.map((k) => k.name).sort());
    expect(result.totals).toMatchObject({ collections: 1, snapshots: 160, kept: 7, dropped: 153, failed: 0 });

    const described = await handle.describe();
    expect(described.searchAttributes).toMatchObject({
      MilvusDb: [DB],
      MilvusCollection: ['ret_gfs'],
      SnapshotOperation: ['retention'],
    });
  });

  it('bad input fails the run at once, naming the field, and touches nothing', async () => {
    const before = dropCalls();
    const handle = await env.client.workflow.start(retentionWorkflow, {
      taskQueue: worker.taskQueue,
      workflowId: 'retention-bad-input',
      args: [{ db: DB, collection: 'ret_gfs', policy: {} }],
    });
    await expect(handle.result()).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringContaining('policy') },
    });
    expect(dropCalls()).toBe(before);
  });

  it('dry-run returns the plan and drops nothing', async () => {
    const names = await collectionWithSnapshots(gateway, standin.address, 'ret_dry', 5);
    const before = dropCalls();
    const { result } = await run({ db: DB, collection: 'ret_dry', policy: { keepLast: 2 }, dryRun: true });
    expect(dropCalls()).toBe(before);
    expect(await remaining('ret_dry')).toEqual(names);
    expect(result.detail!.dropped).toEqual([]);
    expect(result.detail!.wouldDrop.map((d) => d.name).sort()).toEqual(names.slice(0, 3));
    expect(result.detail!.kept.map((k) => k.name).sort()).toEqual(names.slice(3));
    expect(result.totals).toMatchObject({ wouldDrop: 3, dropped: 0 });
  });

  it('only snapshots this project made are candidates unless scope is all', async () => {
    const names = await collectionWithSnapshots(gateway, standin.address, 'ret_scope', 4, (i) =>
      i % 2 === 0 ? 'made by hand' : ours(),
    );
    const { result } = await run({ db: DB, collection: 'ret_scope', policy: { keepLast: 1 } });
    // s0, s2 foreign: kept; s3 newest of ours: kept; s1 ours but not last: dropped.
    expect(result.detail!.dropped.map((d) => d.name)).toEqual([names[1]]);
    expect(result.detail!.kept.find((k) => k.name === names[0])?.reasons).toEqual([REASON.outOfScope]);
    const all = await run({ db: DB, collection: 'ret_scope', policy: { keepLast: 1, scope: 'all' } });
    expect(all.result.detail!.dropped.map((d) => d.name).sort()).toEqual([names[0], names[2]]);
  });

  it('a pinned snapshot survives: Milvus refuses the drop and retention reports it kept (pinned)', async () => {
    const names = await collectionWithSnapshots(gateway, standin.address, 'ret_pin', 3);
    const { pinId } = await gateway.pinSnapshot({ db: DB, collection: 'ret_pin', snapshot: names[0] }, 3600);
    const { handle, result } = await run({ db: DB, collection: 'ret_pin', policy: { keepLast: 1 } });
    await recordHistory(handle, 'retention.json');
    await recordHistory(
      env.client.workflow.getHandle(retentionApplyWorkflowId({ db: DB, collection: 'ret_pin' })),
      'retention-apply.json',
    );
    expect(result.detail!.dropped.map((d) => d.name)).toEqual([names[1]]);
    expect(result.detail!.kept.find((k) => k.name === names[0])?.reasons).toEqual([REASON.pinned]);
    expect(result.detail!.failed).toEqual([]);
    expect(await remaining('ret_pin')).toEqual([names[0], names[2]]);

    // Once unpinned, the next run drops it.
    await gateway.unpinSnapshot(pinId);
    const again = await run({ db: DB, collection: 'ret_pin', policy: { keepLast: 1 } });
    expect(again.result.detail!.dropped.map((d) => d.name)).toEqual([names[0]]);
  });

  it('a snapshot a running restore uses is not dropped (not even attempted)', async () => {
    const names = await collectionWithSnapshots(gateway, standin.address, 'ret_restore', 3);
    standin.faults.set({ restoreDurationMs: 60_000 });
    const { jobId } = await gateway.restoreSnapshot({
      snapshot: names[0],
      sourceDb: DB,
      sourceCollection: 'ret_restore',
      targetDb: DB,
      targetCollection: 'ret_restore_target',
    });
    expect(['Pending', 'Executing']).toContain((await gateway.getRestoreState(jobId)).state);
    const before = dropCalls();
    const { result } = await run({ db: DB, collection: 'ret_restore', policy: { keepLast: 1 } });
    expect(result.detail!.kept.find((k) => k.name === names[0])?.reasons).toEqual([REASON.inUse]);
    expect(result.detail!.dropped.map((d) => d.name)).toEqual([names[1]]);
    expect(dropCalls() - before).toBe(1);
    expect(await remaining('ret_restore')).toEqual([names[0], names[2]]);
  });

  it('a drop failing for one snapshot is reported while the others proceed', async () => {
    const names = await collectionWithSnapshots(gateway, standin.address, 'ret_fail', 6);
    standin.faults.failNext('DropSnapshot', { code: 65535, reason: 'disk on fire' }, 1);
    const { result } = await run({
      db: DB,
      collection: 'ret_fail',
      policy: { keepLast: 1 },
      maxConcurrentDrops: 2,
    });
    const detail = result.detail!;
    expect(detail.failed).toHaveLength(1);
    expect(detail.failed[0].message).toContain('disk on fire');
    expect(detail.dropped).toHaveLength(4);
    expect(await remaining('ret_fail')).toEqual([detail.failed[0].name, names[5]].sort());
    expect(result.totals.failed).toBe(1);
  });

  it('drops retry through transient UNAVAILABLE and all succeed', async () => {
    await collectionWithSnapshots(gateway, standin.address, 'ret_flaky', 4);
    standin.faults.unavailableNext(3, ['DropSnapshot']);
    const before = dropCalls();
    const { result } = await run({
      db: DB,
      collection: 'ret_flaky',
      policy: { keepLast: 1 },
      maxConcurrentDrops: 1,
    });
    expect(result.detail!.dropped).toHaveLength(3);
    expect(result.detail!.failed).toEqual([]);
    expect(dropCalls() - before).toBe(3 + 3); // three refused attempts, three drops
    expect(await remaining('ret_flaky')).toEqual(['ret_flaky_s0003']);
  });

  it('two runs at once (overlapping patterns) drop each snapshot once and both succeed', async () => {
    await collectionWithSnapshots(gateway, standin.address, 'ret_pair_a', 4);
    await collectionWithSnapshots(gateway, standin.address, 'ret_pair_b', 4);
    // Slow drops keep the first run's child busy while the second run tries the same collection.
    standin.faults.set({ latencyByMethod: { DropSnapshot: 500 } });
    const before = dropCalls();
    const policy = { keepLast: 1 };
    const [wide, narrow] = await Promise.all([
      run({ db: DB, collectionPattern: 'ret_pair_*', policy, maxConcurrentDrops: 1 }),
      run({ db: DB, collectionPattern: 'ret_pair_a*', policy, maxConcurrentDrops: 1 }),
    ]);
    expect(await wide.handle.describe()).toMatchObject({ status: { name: 'COMPLETED' } });
    expect(await narrow.handle.describe()).toMatchObject({ status: { name: 'COMPLETED' } });
    expect(dropCalls() - before).toBe(6);
    const droppedA = [wide, narrow].map((r) =>
      r.result.collections.find((c) => c.collection === 'ret_pair_a')!,
    );
    expect(droppedA.map((c) => c.status)).toEqual(['done', 'done']);
    expect(droppedA[0].dropped + droppedA[1].dropped).toBe(3);
    expect(await remaining('ret_pair_a')).toEqual(['ret_pair_a_s0003']);
    expect(await remaining('ret_pair_b')).toEqual(['ret_pair_b_s0003']);
    // The runs really collided: one of them found the child id taken and waited.
    const histories = await Promise.all([wide, narrow].map((r) => r.handle.fetchHistory()));
    const collisions = histories
      .flatMap((h) => h.events ?? [])
      .filter((e) => e.startChildWorkflowExecutionFailedEventAttributes);
    expect(collisions.length).toBeGreaterThanOrEqual(1);
  });

  it('two single-collection runs under different ids (e.g. a Schedule and a person) drop each snapshot once', async () => {
    await collectionWithSnapshots(gateway, standin.address, 'ret_twice', 4);
    standin.faults.set({ latencyByMethod: { DropSnapshot: 500 } });
    const before = dropCalls();
    const input: RetentionInput = {
      db: DB,
      collection: 'ret_twice',
      policy: { keepLast: 1 },
      maxConcurrentDrops: 1,
    };
    const [a, b] = await Promise.all([run(input, 'retention-manual-1'), run(input, 'retention-manual-2')]);
    expect(dropCalls() - before).toBe(3);
    expect([a, b].map((r) => r.result.detail!.dropped.length).sort()).toEqual([0, 3]);
    expect(await remaining('ret_twice')).toEqual(['ret_twice_s0003']);
    // Both worked through a child under the collection's own id, one after the other.
    const histories = await Promise.all([a, b].map((r) => r.handle.fetchHistory()));
    const collisions = histories
      .flatMap((h) => h.events ?? [])
      .filter((e) => e.startChildWorkflowExecutionFailedEventAttributes);
    expect(collisions.length).toBeGreaterThanOrEqual(1);
  });

  it('a run under another id reports a failed collection as its own failure', async () => {
    const handle = await env.client.workflow.start(retentionWorkflow, {
      taskQueue: worker.taskQueue,
      workflowId: 'retention-missing-collection',
      args: [{ db: DB, collection: 'ret_no_such_collection', policy: { keepLast: 1 } }],
    });
    await expect(handle.result()).rejects.toMatchObject({
      cause: { type: 'RetentionFailed', message: expect.stringContaining('ret_no_such_collection') },
    });
  });

  it('two starts for the same collection share one run (USE_EXISTING)', async () => {
    await collectionWithSnapshots(gateway, standin.address, 'ret_same', 3);
    standin.faults.set({ latencyByMethod: { DropSnapshot: 200 } });
    const before = dropCalls();
    const input: RetentionInput = { db: DB, collection: 'ret_same', policy: { keepLast: 1 } };
    const [a, b] = await Promise.all([run(input), run(input)]);
    expect(a.handle.firstExecutionRunId).toBe(b.handle.firstExecutionRunId);
    expect(a.result).toEqual(b.result);
    expect(dropCalls() - before).toBe(2);
  });

  it('keeps history bounded: 300 snapshots, batches of 50 drops, one run per batch', async () => {
    await collectionWithSnapshots(gateway, standin.address, 'ret_scale', 300);
    const { handle, result } = await run({
      db: DB,
      collection: 'ret_scale',
      policy: { keepLast: 10 },
      dropBatchSize: 50,
      maxConcurrentDrops: 8,
    });
    expect(result.detail!.dropped).toHaveLength(290);
    expect(result.detail!.runs).toBe(6);
    const runs = await applyRunChain(handle);
    console.log(`retention ret_scale: events per run ${runs.map((r) => r.events).join(', ')}`);
    expect(runs).toHaveLength(6);
    // Per drop: scheduled, started, completed, plus a share of workflow tasks; the bound is per run.
    for (const r of runs) expect(r.events).toBeLessThan(50 * 5 + 20);
    expect(await remaining('ret_scale')).toHaveLength(10);
  });

  it('a pattern run continues as new every collectionsPerRun collections', async () => {
    for (const c of ['ret_many_1', 'ret_many_2', 'ret_many_3'])
      await collectionWithSnapshots(gateway, standin.address, c, 2);
    const { handle, result } = await run({
      db: DB,
      collectionPattern: 'ret_many_?',
      policy: { keepLast: 1 },
      collectionsPerRun: 1,
    });
    expect(result.collections.map((c) => [c.collection, c.status, c.dropped])).toEqual([
      ['ret_many_1', 'done', 1],
      ['ret_many_2', 'done', 1],
      ['ret_many_3', 'done', 1],
    ]);
    const runs = await runChain(handle, handle.firstExecutionRunId);
    console.log(`retention pattern: events per run ${runs.map((r) => r.events).join(', ')}`);
    await recordHistory(handle, 'retention-pattern.json'); // the last run: children and carried state
    expect(runs).toHaveLength(3);
  });
});
