import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { join } from 'node:path';
import { SnapshotWorkerClient } from '../../src/client';
import { drillHistory, renderDrillHistory } from '../../src/lookups/drill-history';
import { renderDrillReport } from '../../src/drill/render-report';
import { seedDemoCollection } from 'milvus-standin';
import { isScratchCollectionName } from '../../src/contracts/drill';
import {
  DRILL_RESULT,
  DRILL_RTO_MS,
  MILVUS_SNAPSHOT,
  SNAPSHOT_OPERATION,
} from '../../src/temporal/search-attributes';
import { drillWorkflow } from '../../src/workflows/drill';
import { newestFirst } from '../../src/policy/plan-retention';
import { drillProgressQuery, drillWorkflowId, type DrillInput } from '../../src/contracts/drill';
import { type DrillReport } from '../../src/drill/report';
import { recordHistory } from '../helpers/history-json';
import { waitUntil } from '../../dev/wait-until';
import { useStack } from '../helpers/stack';

const COLLECTION = 'drill_items';
const ROWS = 300;

/** Dev server + in-process worker + stand-in over TCP: the drill with its backup and restore children. */
describe('drillWorkflow', () => {
  let runs = 0;

  const stack = useStack({
    prepare: (s) => seedDemoCollection(s.standin.address, { collection: COLLECTION, rows: ROWS, dim: 8 }),
  });

  beforeEach(() => stack().standin.faults.reset());

  function start(extra: Partial<DrillInput> = {}) {
    const args: DrillInput = {
      collection: COLLECTION,
      sampleSize: 50,
      restorePollInterval: '200ms',
      ...extra,
    };
    return stack().client.workflow.start(drillWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: drillWorkflowId(args, `t${++runs}`),
      args: [args],
    });
  }

  async function scratchCollectionsLeft(): Promise<string[]> {
    return (await stack().gateway.listCollections('default')).filter(isScratchCollectionName);
  }

  async function runningRestoreJobs(): Promise<number> {
    const jobs = await stack().gateway.listRestoreJobs();
    return jobs.filter((j) => j.state === 'Pending' || j.state === 'Executing').length;
  }

  let passed: DrillReport;

  it('passes: backs up, restores into a scratch collection, verifies, measures RPO/RTO, drops the scratch', async () => {
    const handle = await start();
    const report = await handle.result();
    passed = report;

    expect(report.outcome).toBe('pass');
    expect(report.reasons).toEqual([]);
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['backup', 'ok'],
      ['restore', 'ok'],
      ['verify', 'ok'],
      ['cleanup', 'ok'],
    ]);
    expect(report.snapshot).toMatchObject({ recordedRowCount: ROWS, madeByThisDrill: true });
    expect(await stack().gateway.listSnapshots({ db: 'default', collection: COLLECTION })).toContain(
      report.snapshot?.name,
    );
    expect(report.verification?.schema.fields.map((f) => f.name)).toEqual(['id', 'vector', 'title', 'year']);
    expect(report.verification?.rowCount).toMatchObject({ expected: ROWS, actual: ROWS, equal: true });
    expect(report.verification?.sample).toMatchObject({
      status: 'compared',
      compared: 50,
      keysScanned: ROWS,
    });
    expect(report.verification?.sample.differing).toEqual([]);
    // The stand-in's restore takes 1.5 s; RTO covers it plus verification.
    expect(report.rto.measuredMs).toBeGreaterThanOrEqual(1500);
    expect(report.rto.status).toBe('pass');
    expect(report.rpo.measuredMs).toBeGreaterThanOrEqual(0);
    expect(report.rpo.measuredMs).toBeLessThan(report.totalMs);
    expect(report.scratch.dropped).toBe(true);
    expect(isScratchCollectionName(report.scratch.collection)).toBe(true);
    expect(await stack().gateway.hasCollection(report.scratch)).toBe(false);
    expect(await scratchCollectionsLeft()).toEqual([]);

    const { typedSearchAttributes } = await handle.describe();
    expect(typedSearchAttributes.get(SNAPSHOT_OPERATION)).toBe('drill');
    expect(typedSearchAttributes.get(DRILL_RESULT)).toBe('pass');
    expect(typedSearchAttributes.get(DRILL_RTO_MS)).toBe(report.rto.measuredMs);
    expect(typedSearchAttributes.get(MILVUS_SNAPSHOT)).toBe(report.snapshot?.name);
    expect((await handle.query(drillProgressQuery)).step).toBe('done');
    expect(renderDrillReport(report)).toMatch(/^# DR drill PASS: default\.drill_items/);

    await recordHistory(handle, 'drillWorkflow.json');
  });

  it('fails when the restore fails, names the Milvus reason, and leaves no scratch collection', async () => {
    stack().standin.faults.set({
      restoreFailAtPercent: 50,
      restoreFailReason: 'copy segment failed (simulated)',
    });
    const report = await (await start()).result();

    expect(report.outcome).toBe('fail');
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['backup', 'ok'],
      ['restore', 'failed'],
      ['verify', 'skipped'],
      ['cleanup', 'ok'],
    ]);
    expect(report.reasons).toHaveLength(1);
    expect(report.reasons[0]).toMatch(/^restore failed: .*failed at \d+%: copy segment failed \(simulated\)/);
    expect(report.rto.status).toBe('not-measured');
    expect(report.verification).toBeNull();
    expect(await stack().gateway.hasCollection(report.scratch)).toBe(false);
    expect(await scratchCollectionsLeft()).toEqual([]);
    expect(renderDrillReport(report)).toContain('## What went wrong');
  });

  /** Ground truth independent of the drill's comparison: ids whose rows differ between two collections. */
  async function idsThatDiffer(a: string, b: string): Promise<number[]> {
    const fields = ['id', 'vector', 'title', 'year'];
    const byId = async (collection: string) =>
      new Map(
        (await stack().gateway.query({ db: 'default', collection }, '', fields, ROWS)).map((r) => [
          Number(r.id),
          JSON.stringify(fields.map((f) => r[f])),
        ]),
      );
    const [left, right] = [await byId(a), await byId(b)];
    return [...left.keys()].filter((id) => left.get(id) !== right.get(id)).sort((x, y) => x - y);
  }

  it('fails on a corrupted restore and names exactly the keys whose rows differ', async () => {
    stack().standin.faults.set({ corruptRestore: true });
    // Sampling every row makes the expected set exact.
    const report = await (await start({ sampleSize: ROWS })).result();

    // Restore the same snapshot, equally corrupted, and find the altered rows by plain comparison.
    const check = { db: 'default', collection: 'drill_corrupt_check' };
    const { jobId } = await stack().gateway.restoreSnapshot({
      snapshot: report.snapshot!.name,
      sourceDb: 'default',
      sourceCollection: COLLECTION,
      targetDb: check.db,
      targetCollection: check.collection,
    });
    await waitUntil(
      () => stack().gateway.getRestoreState(jobId),
      (job) => job.state === 'Completed',
      30_000,
    );
    await stack().gateway.loadCollection(check);
    const corrupted = await idsThatDiffer(COLLECTION, check.collection);
    await stack().gateway.dropCollection(check);
    expect(corrupted.length).toBeGreaterThan(0);
    expect(corrupted.length).toBeLessThan(ROWS);

    expect(report.outcome).toBe('fail');
    const differing = report.verification?.sample.differing ?? [];
    expect(differing.map((d) => Number(d.key))).toEqual(corrupted);
    for (const d of differing) {
      expect(d.problem).toBe('fields-differ');
      expect(d.fields).toContain('vector');
    }
    expect(report.verification?.rowCount.equal).toBe(true);
    const named = corrupted.slice(0, 3).join(', ');
    expect(report.reasons[0]).toMatch(
      new RegExp(`^${corrupted.length} of ${ROWS} sampled keys differ \\(id\\): ${named}`),
    );
    expect(renderDrillReport(report)).toContain(`| ${corrupted[0]} | fields-differ |`);
    expect(await scratchCollectionsLeft()).toEqual([]);
  });

  /** Starts a drill whose restore takes `restoreDurationMs`; returns once the restore has made the scratch. */
  async function startAndWaitForRestore(restoreDurationMs: number) {
    stack().standin.faults.set({ restoreDurationMs });
    const handle = await start();
    const progress = await waitUntil(
      () => handle.query(drillProgressQuery),
      (p) => p.step === 'restore' && p.restoreWorkflowId !== undefined,
      30_000,
    );
    await waitUntil(
      () => stack().gateway.hasCollection(progress.scratch),
      (exists) => exists,
      30_000,
    );
    return { handle, progress };
  }

  it('cancelled mid-restore: cleans up, records DrillResult=cancelled, leaves no scratch collection', async () => {
    const { handle, progress } = await startAndWaitForRestore(8000);
    await handle.cancel();

    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(await stack().gateway.hasCollection(progress.scratch)).toBe(false);
    expect(await scratchCollectionsLeft()).toEqual([]);
    expect(await runningRestoreJobs()).toBe(0);
    const { typedSearchAttributes } = await handle.describe();
    expect(typedSearchAttributes.get(DRILL_RESULT)).toBe('cancelled');
    const steps = (await handle.query(drillProgressQuery)).steps;
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['backup', 'ok'],
      ['restore', 'cancelled'],
      ['cleanup', 'ok'],
    ]);
  });

  it('a restore cancelled from outside (an operator) fails the drill with a report and leaves no scratch', async () => {
    const { handle, progress } = await startAndWaitForRestore(4000);
    await stack().client.workflow.getHandle(progress.restoreWorkflowId!).cancel();

    const report = await handle.result();
    expect(report.outcome).toBe('fail');
    expect(report.cancelled).toBe(false);
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['backup', 'ok'],
      ['restore', 'cancelled'],
      ['verify', 'skipped'],
      ['cleanup', 'ok'],
    ]);
    expect(report.reasons).toEqual([expect.stringMatching(/^restore was cancelled/)]);
    expect(await stack().gateway.hasCollection(progress.scratch)).toBe(false);
    expect(await scratchCollectionsLeft()).toEqual([]);
  });

  it("source 'latest' restores the newest verified snapshot; a missed RTO objective fails the drill", async () => {
    const report = await (await start({ source: 'latest', rtoObjective: '1ms' })).result();
    const snapshots = await Promise.all(
      (await stack().gateway.listSnapshots({ db: 'default', collection: COLLECTION })).map((snapshot) =>
        stack().gateway.describeSnapshot({ db: 'default', collection: COLLECTION, snapshot }),
      ),
    );
    const newest = snapshots.sort(newestFirst)[0];

    expect(report.snapshot).toMatchObject({
      name: newest?.name,
      madeByThisDrill: false,
      recordedRowCount: ROWS,
    });
    expect(report.steps.map((s) => s.name)).toEqual(['find-snapshot', 'restore', 'verify', 'cleanup']);
    expect(report.verification?.equal).toBe(true);
    expect(report.rto.status).toBe('fail');
    expect(report.outcome).toBe('fail');
    expect(report.reasons).toEqual([expect.stringMatching(/^RTO .* exceeds the objective 1 ms$/)]);
    expect(await scratchCollectionsLeft()).toEqual([]);
  });

  it('a step error still yields a report: the backup of a missing collection fails the drill', async () => {
    const report = await (await start({ collection: 'no_such_collection' })).result();
    expect(report.outcome).toBe('fail');
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['backup', 'failed'],
      ['restore', 'skipped'],
      ['verify', 'skipped'],
      ['cleanup', 'ok'],
    ]);
    expect(report.reasons[0]).toMatch(/^backup failed: .*no_such_collection/);
    expect(report.snapshot).toBeNull();
  });

  it('an empty collection drills fine: an empty snapshot restores to an empty scratch, 0 rows compared', async () => {
    await seedDemoCollection(stack().standin.address, { collection: 'drill_empty', rows: 0, dim: 8 });
    const report = await (await start({ collection: 'drill_empty' })).result();
    expect(report.reasons).toEqual([]);
    expect(report.outcome).toBe('pass');
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['backup', 'ok'],
      ['restore', 'ok'],
      ['verify', 'ok'],
      ['cleanup', 'ok'],
    ]);
    expect(report.snapshot).toMatchObject({ recordedRowCount: 0, madeByThisDrill: true });
    expect(report.verification?.rowCount).toMatchObject({ expected: 0, actual: 0, equal: true });
    expect(report.verification?.sample).toMatchObject({ status: 'compared', compared: 0, differing: [] });
    expect(await scratchCollectionsLeft()).toEqual([]);
  });

  it('drill history lists past drills from Temporal with results and an RTO trend', async () => {
    const rows = await waitUntil(
      () => drillHistory(stack().client, { collection: COLLECTION }),
      (r) => r.filter((row) => row.status !== 'RUNNING').length >= 6,
      30_000,
    );
    expect(rows.map((r) => r.result).sort()).toEqual(['cancelled', 'fail', 'fail', 'fail', 'fail', 'pass']);
    const pass = rows.find((r) => r.result === 'pass');
    expect(pass).toMatchObject({
      rtoMs: passed.rto.measuredMs,
      snapshot: passed.snapshot?.name,
      collection: COLLECTION,
    });
    expect(rows.map((r) => r.startTime.getTime())).toEqual(
      [...rows.map((r) => r.startTime.getTime())].sort((a, b) => b - a),
    );
    const table = renderDrillHistory(rows);
    expect(table).toContain('RESULT');
    expect(table).toContain(passed.workflowId);
    expect(table).toMatch(/RTO trend default\.drill_items \(oldest → newest\): [▁▂▃▄▅▆▇█]{3}/);
    expect(table).toContain('1/6 drills passed');
  });
  it('runs from a Temporal Schedule like backups: a triggered scheduled drill passes and shows in history', async () => {
    const client = new SnapshotWorkerClient(stack().client, stack().taskQueue);
    const scheduleId = await client.scheduleDrill(
      { collection: COLLECTION, sampleSize: 20, restorePollInterval: '200ms' },
      { every: '1d', scheduleId: `drill-schedule-test-${runs}` },
    );
    try {
      await stack().client.schedule.getHandle(scheduleId).trigger();
      const rows = await waitUntil(
        () => drillHistory(stack().client, { collection: COLLECTION }),
        (r) => r.some((row) => row.workflowId.startsWith(scheduleId) && row.status === 'COMPLETED'),
        60_000,
      );
      const scheduled = rows.find((row) => row.workflowId.startsWith(scheduleId));
      expect(scheduled).toMatchObject({ result: 'pass', collection: COLLECTION });
      expect(scheduled?.rtoMs).toBeGreaterThan(0);
      expect(await scratchCollectionsLeft()).toEqual([]);
    } finally {
      await stack().client.schedule.getHandle(scheduleId).delete();
    }
  });
});
