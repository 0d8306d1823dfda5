import { WorkflowFailedError } from '@temporalio/client';
import { seedDemoCollection } from 'milvus-standin';
import { freePort } from '../../dev/free-port';
import { startStack, type BareStack } from '../../dev/stack';
import { uniqueTaskQueue } from '../../dev/temporal-test-env';
import { startWorkerMainChild, type WorkerMainChild } from '../../dev/worker-main-child';
import { SnapshotWorkerClient } from '../../src/client';
import type { BackupResult } from '../../src/contracts/backup';
import type { DrillReport } from '../../src/drill/report';
import {
  DRILL_PASSED_METRIC,
  DRILL_RPO_METRIC,
  DRILL_RTO_METRIC,
  DRILL_TIMESTAMP_METRIC,
  DRILLS_METRIC,
  FAILURES_METRIC,
  LAST_VERIFIED_BACKUP_METRIC,
  OPERATION_DURATION_METRIC,
  RETENTION_DROPS_METRIC,
} from '../../src/temporal/metric-names';
import { scrape, series, valueOf, type Sample } from '../helpers/prometheus';

const COLLECTION = 'metrics_items';
const db = 'default';

/**
 * The worker process as operators run it (src/worker.ts, METRICS_ADDRESS set) against the dev
 * server and the stand-in: after a backup, a drill, a retention run and a failed backup, its
 * /metrics serves Temporal's own worker metrics and the project's series with the runs' values.
 */
describe('worker metrics endpoint (METRICS_ADDRESS)', () => {
  let stack: BareStack;
  let worker: WorkerMainChild | undefined;
  let client: SnapshotWorkerClient;
  let metricsAddress: string;

  beforeAll(async () => {
    stack = await startStack({
      worker: false,
      prepare: (s) => seedDemoCollection(s.standin.address, { collection: COLLECTION, rows: 120, dim: 4 }),
    });
    const taskQueue = uniqueTaskQueue('metrics');
    metricsAddress = `127.0.0.1:${await freePort()}`;
    worker = await startWorkerMainChild(
      {
        TEMPORAL_ADDRESS: stack.env.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        MILVUS_ADDRESS: stack.standin.address,
        METRICS_ADDRESS: metricsAddress,
      },
      () => undefined, // its output is not under test here
    );
    client = new SnapshotWorkerClient(stack.client, taskQueue);
  }, 240_000);

  it('says where it serves the metrics', () => {
    expect(worker?.metricsUrl).toBe(`http://${metricsAddress}/metrics`);
  });

  afterAll(async () => {
    await worker?.stop();
    await stack?.stop();
  });

  let backup: BackupResult;
  let backupWindow: { from: number; to: number };
  let drill: DrillReport;
  let dropped: number;
  let failureType: string;
  let samples: Sample[];

  it('runs a backup, a drill, a retention run and a failing backup through the worker process', async () => {
    const from = Date.now() / 1000;
    backup = await client.backup({ collection: COLLECTION });
    backupWindow = { from, to: Date.now() / 1000 };

    drill = await client.drill({ collection: COLLECTION, source: 'latest', sampleSize: 20 });
    expect(drill.outcome).toBe('pass');

    await client.backup({ collection: COLLECTION, snapshot: `${COLLECTION}_second` });
    const retention = await client.retention({ collection: COLLECTION, policy: { keepLast: 1 } });
    dropped = retention.totals.dropped;
    expect(dropped).toBe(1);

    const failed = await client.backup({ collection: 'no_such_collection' }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    failureType = ((failed as WorkflowFailedError).cause as { type?: string }).type ?? '';
    expect(failureType).toBe('CollectionNotFound');

    samples = await scrape(metricsAddress);
  }, 180_000);

  it("serves the Temporal runtime's own worker metrics", () => {
    const completed = series(samples, 'temporal_workflow_completed', { workflow_type: 'backupWorkflow' });
    expect(completed.reduce((n, s) => n + s.value, 0)).toBe(2);
    expect(series(samples, 'temporal_activity_execution_latency_count').length).toBeGreaterThan(0);
  });

  it('reports when the last verified backup of the collection completed', () => {
    const last = valueOf(samples, LAST_VERIFIED_BACKUP_METRIC, { db, collection: COLLECTION });
    // the second backup (before retention) is the newest verified one
    expect(last).toBeGreaterThan(backupWindow.from);
    expect(last).toBeLessThanOrEqual(Date.now() / 1000);
    expect(backup.snapshot).toMatch(new RegExp(`^${COLLECTION}_`));
    expect(series(samples, LAST_VERIFIED_BACKUP_METRIC, { collection: 'no_such_collection' })).toEqual([]);
  });

  it('has a duration histogram per operation and outcome', () => {
    const count = (operation: string, outcome: string) =>
      valueOf(samples, `${OPERATION_DURATION_METRIC}_count`, { operation, outcome });
    expect(count('backup', 'success')).toBe(2);
    expect(count('backup', 'failure')).toBe(1);
    expect(count('drill', 'success')).toBe(1);
    expect(count('retention', 'success')).toBe(1); // its per-collection child is part of the run
    expect(valueOf(samples, `${OPERATION_DURATION_METRIC}_sum`, { operation: 'drill' })).toBeCloseTo(
      drill.totalMs / 1000,
      0,
    );
  });

  it('has the drill outcome, RTO and RPO of the collection', () => {
    const tags = { db, collection: COLLECTION };
    expect(valueOf(samples, DRILL_PASSED_METRIC, tags)).toBe(1);
    expect(valueOf(samples, DRILLS_METRIC, { ...tags, outcome: 'pass' })).toBe(1);
    expect(valueOf(samples, DRILL_RTO_METRIC, tags)).toBeCloseTo((drill.rto.measuredMs ?? NaN) / 1000, 3);
    expect(valueOf(samples, DRILL_RPO_METRIC, tags)).toBeCloseTo((drill.rpo.measuredMs ?? NaN) / 1000, 3);
    expect(valueOf(samples, DRILL_TIMESTAMP_METRIC, tags)).toBeCloseTo(
      Date.parse(drill.finishedAt) / 1000,
      3,
    );
  });

  it('counts retention drops and failures by type', () => {
    expect(valueOf(samples, RETENTION_DROPS_METRIC, { db, collection: COLLECTION })).toBe(dropped);
    expect(valueOf(samples, FAILURES_METRIC, { operation: 'backup', failure_type: failureType })).toBe(1);
  });
});
