import type { WorkflowHandle } from '@temporalio/client';
import { seedDemoCollection } from 'milvus-standin';
import { formatSnapshotDescription } from '../../src/contracts/snapshot-marker';
import { fleetWorkflowId, type FleetInput, type FleetResult } from '../../src/contracts/fleet';
import { SnapshotWorkerClient } from '../../src/client';
import { waitUntil } from '../../dev/wait-until';
import { fleetWorkflow } from '../../src/workflows/fleet';
import { historyEventTypes } from '../../dev/history-events';
import { runCli } from '../helpers/cli';
import { useStack } from '../helpers/stack';
import { recordHistory } from '../helpers/history-json';

/**
 * Fleets end to end: the Temporal dev server, a real worker and the stand-in over TCP. Five
 * collections match `fleet_*` (one more does not); the cap of 2 is checked twice: by the children
 * open at once in the fleet's history, and by the Milvus calls the stand-in saw in flight at once.
 */

const MATCHING = ['fleet_a', 'fleet_b', 'fleet_c', 'fleet_d', 'fleet_e'];
const ROWS = 30;

const ON_DR = ['drfleet_a', 'drfleet_b'];

const stack = useStack({
  dr: {},
  prepare: async ({ standin, dr }) => {
    for (const collection of [...MATCHING, 'other_x']) {
      await seedDemoCollection(standin.address, { collection, rows: ROWS, dim: 4 });
    }
    for (const collection of ON_DR) {
      await seedDemoCollection(dr!.standin.address, { collection, rows: ROWS, dim: 4 });
    }
  },
  timeoutMs: 120_000,
});

async function runFleet(input: FleetInput, workflowId = fleetWorkflowId(input)) {
  const handle = await stack().client.workflow.start(fleetWorkflow, {
    taskQueue: stack().taskQueue,
    workflowId,
    args: [input],
  });
  return { handle, result: await handle.result() };
}

/** The most child workflows open at once over every run of the fleet's history chain. */
async function maxOpenChildren(handle: WorkflowHandle): Promise<number> {
  let open = 0;
  let max = 0;
  for (const type of await historyEventTypes(handle)) {
    if (type === 'START_CHILD_WORKFLOW_EXECUTION_INITIATED') max = Math.max(max, ++open);
    if (/^CHILD_WORKFLOW_EXECUTION_(COMPLETED|FAILED|CANCELED|TERMINATED|TIMED_OUT)$/.test(type)) open--;
    if (type === 'START_CHILD_WORKFLOW_EXECUTION_FAILED') open--;
  }
  return max;
}

describe('fleetWorkflow', () => {
  it('lists and backs up the collections of the cluster its options name, not the default one', async () => {
    const { result } = await runFleet({
      operation: 'backup',
      collectionPattern: 'drfleet_*',
      options: { cluster: 'dr', nameTemplate: '{collection}_dr' },
      maxConcurrency: 2,
    });

    expect(result.totals).toEqual({ collections: 2, done: 2, failed: 0 });
    const { dr, gateway } = stack();
    for (const collection of ON_DR) {
      expect(await dr!.gateway.listSnapshots({ db: 'default', collection })).toEqual([`${collection}_dr`]);
    }
    expect((await gateway.listCollections('default')).filter((c) => c.startsWith('drfleet_'))).toEqual([]);
  });

  it('backs up every matching collection with at most 2 at once, reporting the one that fails without failing the rest', async () => {
    const { gateway, standin } = stack();
    // fleet_c already has the snapshot the fleet will name: its backup must fail (ifExists 'fail').
    await gateway.createSnapshot({ db: 'default', collection: 'fleet_c', snapshot: 'fleet_c_nightly' });
    standin.faults.set({ latencyMs: 20 }); // calls overlap visibly when two children run
    standin.faults.resetConcurrency();

    const { handle, result } = await runFleet({
      operation: 'backup',
      collectionPattern: 'fleet_*',
      options: { nameTemplate: '{collection}_nightly', labels: { fleet: 'nightly' } },
      maxConcurrency: 2,
      collectionsPerRun: 2, // 5 collections: three runs, continued as new
    });
    standin.faults.reset();

    expect(standin.faults.concurrency().peak).toBeLessThanOrEqual(2);
    expect(result.runs).toBe(3);
    expect(result.totals).toEqual({ collections: 5, done: 4, failed: 1 });
    expect(result.collections.map((c) => c.collection)).toEqual(MATCHING);
    for (const summary of result.collections.filter((c) => c.collection !== 'fleet_c')) {
      expect(summary).toMatchObject({
        status: 'done',
        workflowId: `backup:default.${summary.collection}:${summary.collection}_nightly`,
        detail: {
          operation: 'backup',
          snapshot: `${summary.collection}_nightly`,
          rowCount: ROWS,
          reused: false,
        },
      });
      expect(await gateway.listSnapshots({ db: 'default', collection: summary.collection })).toEqual([
        `${summary.collection}_nightly`,
      ]);
    }
    const failed = result.collections.find((c) => c.collection === 'fleet_c');
    expect(failed).toMatchObject({ status: 'failed', error: { type: 'SnapshotAlreadyExists' } });
    expect(failed?.error?.message).toContain('fleet_c_nightly of default.fleet_c already exists');
    expect(failed?.detail).toBeUndefined();
    expect(await gateway.listSnapshots({ db: 'default', collection: 'other_x' })).toEqual([]);

    // Each run of the chain held at most two children open at once (the last run: fleet_e alone).
    expect(await maxOpenChildren(handle)).toBeLessThanOrEqual(2);
    const firstRun = stack().client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    expect(await maxOpenChildren(firstRun)).toBe(2);
    await recordHistory(firstRun, 'fleetWorkflow.json');
    await recordHistory(handle, 'fleetWorkflow-last-run.json');
  });

  it('applies retention to every matching collection as one dry run, one summary each', async () => {
    const { gateway } = stack();
    for (const collection of ['fleet_a', 'fleet_b']) {
      for (const suffix of ['x1', 'x2']) {
        const description = formatSnapshotDescription('fleet test', { labels: {} }); // ours: retention may drop it
        await gateway.createSnapshot({
          db: 'default',
          collection,
          snapshot: `${collection}_${suffix}`,
          description,
        });
      }
    }
    const before = new Map<string, number>();
    for (const c of MATCHING)
      before.set(c, (await gateway.listSnapshots({ db: 'default', collection: c })).length);
    const { result } = await runFleet({
      operation: 'retention',
      collectionPattern: 'fleet_?',
      options: { policy: { keepLast: 1 }, dryRun: true },
    });
    expect(result.totals).toEqual({ collections: 5, done: 5, failed: 0 });
    for (const summary of result.collections) {
      expect(summary).toMatchObject({
        status: 'done',
        workflowId: `fleet:retention:default.fleet_?/${summary.collection}`,
        detail: {
          operation: 'retention',
          snapshots: before.get(summary.collection),
          dropped: 0,
          failedDrops: 0,
        },
      });
      const { kept, wouldDrop } = summary.detail as { kept: number; wouldDrop: number };
      expect(kept + wouldDrop).toBe(before.get(summary.collection));
    }
    // fleet_a has at least two snapshots of ours: keepLast 1 would drop one or more.
    expect((result.collections[0].detail as { wouldDrop: number }).wouldDrop).toBeGreaterThanOrEqual(1);
    expect(await gateway.listSnapshots({ db: 'default', collection: 'fleet_a' })).toHaveLength(
      before.get('fleet_a')!,
    ); // dry run
  });

  it('runs from a schedule started through the client, and the client attaches to a running fleet', async () => {
    const client = new SnapshotWorkerClient(stack().client, stack().taskQueue);
    const scheduleId = await client.scheduleFleet(
      { operation: 'backup', collectionPattern: 'fleet_e', options: { labels: { via: 'schedule' } } },
      { every: '1 day' },
    );
    expect(scheduleId).toBe('fleet-schedule:backup:default.fleet_e');
    expect((await client.listSchedules()).find((s) => s.scheduleId === scheduleId)?.workflowType).toBe(
      'fleetWorkflow',
    );
    await client.triggerSchedule(scheduleId);
    const schedule = stack().client.schedule.getHandle(scheduleId);
    const described = await waitUntil(
      () => schedule.describe(),
      (d) => d.info.recentActions.length > 0,
    );
    const run = stack().client.workflow.getHandle(described.info.recentActions[0].action.workflow.workflowId);
    const result = (await run.result()) as FleetResult;
    await schedule.delete();
    expect(result.totals).toEqual({ collections: 1, done: 1, failed: 0 });
    expect(result.collections[0].detail).toMatchObject({
      operation: 'backup',
      snapshot: expect.stringMatching(/^fleet_e_\d{8}_\d{6}$/),
    });

    const input = {
      operation: 'retention',
      collectionPattern: 'fleet_*',
      options: { policy: { keepLast: 5 } },
    } as const;
    const [a, b] = await Promise.all([client.startFleet(input), client.startFleet(input)]);
    expect(a.workflowId).toBe('fleet:retention:default.fleet_*');
    expect(b.firstExecutionRunId).toBe(a.firstExecutionRunId);
    expect((await a.result()).totals.collections).toBe(5);
    await expect(client.startFleet({ operation: 'drill', maxConcurrency: 1 })).rejects.toThrow(
      /maxConcurrency: at least 2 for a drill fleet/,
    );
  });

  it('runs from the CLI: a table per collection for people, the result as JSON with --json, exit 1 when one failed', async () => {
    const env = {
      TEMPORAL_ADDRESS: stack().env.connection.options.address,
      TEMPORAL_TASK_QUEUE: stack().taskQueue,
    };
    const args = [
      'fleet',
      '--operation',
      'retention',
      '--collection-pattern',
      'fleet_*',
      '--max-concurrency',
      '2',
    ];
    const human = await runCli([...args, '--options', '{"policy":{"keepLast":10},"dryRun":true}'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^fleet retention default\.fleet_\*: 5 of 5 done, 0 failed \(1 run\)\n/);
    expect(human.stdout).toMatch(/\nfleet_a\s+done\s+[\d.]+ s\s+\d+ snapshots: kept \d+, dropped 0\n/);

    const json = await runCli(
      [...args, '--json', '--options', '{"policy":{"keepLast":10},"maxConcurrentDrops":3}'],
      env,
    );
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('options.maxConcurrentDrops: set to 1 by the fleet');

    const failing = await runCli(
      [
        'fleet',
        '--operation',
        'backup',
        '--collection-pattern',
        'fleet_c',
        '--json',
        '--options',
        '{"nameTemplate":"{collection}_nightly"}',
      ],
      env,
    );
    expect(failing.code).toBe(1); // fleet_c_nightly exists since the first test
    expect(JSON.parse(failing.stdout)).toMatchObject({ totals: { collections: 1, done: 0, failed: 1 } });
  });

  it('refuses options the fleet sets itself, naming the field', async () => {
    const handle = await stack().client.workflow.start(fleetWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: 'fleet-bad-input',
      args: [{ operation: 'backup', options: { snapshot: 'one_name', flsh: false } }],
    });
    await expect(handle.result()).rejects.toMatchObject({
      cause: {
        type: 'InvalidInput',
        message: expect.stringMatching(
          /options\.snapshot: each collection names its snapshot from nameTemplate.*options\.flsh: unknown key; did you mean 'flush'\?/,
        ),
      },
    });
  });
});
