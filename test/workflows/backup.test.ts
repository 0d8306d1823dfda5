import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editPersistedState, startStandin, type Standin, seedDemoCollection } from 'milvus-standin';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';
import { epochMsToHybridTs } from '../../src/milvus/sdk-gateway';
import { prepareBackupStart, type BackupInput } from '../../src/contracts/backup';
import { parseSnapshotMarker, snapshotDescriptionText } from '../../src/contracts/snapshot-marker';
import { resolveSnapshotName } from '../../src/contracts/snapshot-name-template';
import {
  MILVUS_COLLECTION,
  MILVUS_DB,
  MILVUS_SNAPSHOT,
  SNAPSHOT_OPERATION,
} from '../../src/temporal/search-attributes';
import { backupWorkflow } from '../../src/workflows/backup';
import { backupProgressQuery, backupWorkflowId } from '../../src/contracts/backup';
import { activityTypes as activityNames, attemptsOf as attempts } from '../helpers/activity-history';
import { insertDemoRows } from '../helpers/backup';
import { recordHistory } from '../helpers/history-json';
import { waitUntil } from '../../dev/wait-until';
import { rejectionOf } from '../helpers/failure';
import { callsPerTest, useStack } from '../helpers/stack';
import { startWorker, type RunningWorker } from '../helpers/temporal';
import { SnapshotWorkerClient } from '../../src/client';

const DIM = 4;

/** Dev server + in-process worker + stand-in over TCP: the backup workflow end to end. */
describe('backupWorkflow', () => {
  const stack = useStack();

  const calls = callsPerTest(() => stack().standin);

  async function seed(collection: string, rows: number, flush: boolean) {
    await seedDemoCollection(stack().standin.address, { collection, rows, dim: DIM, flush });
    return { db: 'default', collection };
  }

  /** The client path: validate, fix the snapshot name now, start under the deterministic ID. */
  function start(raw: BackupInput) {
    const { input, workflowId } = prepareBackupStart(raw);
    return stack().client.workflow.start(backupWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId,
      args: [input],
    });
  }

  const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, WorkflowFailedError);

  it('flushes, creates and verifies a snapshot named from the template, with marker, result and search attributes', async () => {
    const coll = await seed('bk_happy', 120, false);
    const handle = await start({
      collection: 'bk_happy',
      description: 'nightly backup',
      labels: { env: 'ci', tier: 'gold' },
      compactionProtection: '1h',
    });
    const result = await handle.result();

    expect(result.snapshot).toMatch(/^bk_happy_\d{8}_\d{6}$/);
    expect(handle.workflowId).toBe(`backup:default.bk_happy:${result.snapshot}`);
    expect(result).toMatchObject({
      db: 'default',
      collection: 'bk_happy',
      rowCount: 120,
      flushed: true,
      reused: false,
      labels: { env: 'ci', tier: 'gold' },
    });
    const { durationsMs } = result;
    expect(durationsMs.flush).toBeGreaterThanOrEqual(0);
    expect(durationsMs.create).toBeGreaterThanOrEqual(0);
    expect(durationsMs.total).toBeGreaterThanOrEqual(
      durationsMs.inspect +
        (durationsMs.flush ?? 0) +
        (durationsMs.count ?? 0) +
        (durationsMs.create ?? 0) +
        durationsMs.verify,
    );
    expect(result.checks.join('\n')).toMatch(/holds at least the data written before it/);
    // With a flush, create_ts (the minimum channel checkpoint) is at least the run's own flush.
    const { startTime } = await handle.describe();
    expect(result.createTs).toBeGreaterThanOrEqual(startTime.getTime() - 1_000);
    expect(result.createTs).toBeLessThanOrEqual(Date.now());
    expect(result.createdAt).toBe(new Date(result.createTs).toISOString());

    expect(await stack().gateway.listSnapshots(coll)).toEqual([result.snapshot]);
    const stored = await stack().gateway.describeSnapshot({ ...coll, snapshot: result.snapshot });
    expect(snapshotDescriptionText(stored.description)).toBe('nightly backup');
    expect(parseSnapshotMarker(stored.description)).toMatchObject({
      labels: { env: 'ci', tier: 'gold' },
      rows: 120,
      flushed: true,
      workflowId: handle.workflowId,
    });
    expect(calls('Flush')).toBe(1);
    expect(calls('CreateSnapshot')).toBe(1);

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(MILVUS_DB)).toBe('default');
    expect(description.typedSearchAttributes.get(MILVUS_COLLECTION)).toBe('bk_happy');
    expect(description.typedSearchAttributes.get(MILVUS_SNAPSHOT)).toBe(result.snapshot);
    expect(description.typedSearchAttributes.get(SNAPSHOT_OPERATION)).toBe('backup');

    await recordHistory(handle, 'backupWorkflow.json');
  });

  it('skips Flush and GetFlushState with flush: false', async () => {
    await seed('bk_noflush', 50, true);
    const flushes = calls('Flush');
    const flushStates = calls('GetFlushState');
    const handle = await start({ collection: 'bk_noflush', snapshot: 'bk_noflush_s', flush: false });
    const result = await handle.result();
    expect(result).toMatchObject({ snapshot: 'bk_noflush_s', flushed: false, rowCount: 50 });
    expect(result.durationsMs.flush).toBeUndefined();
    expect(await activityNames(handle)).not.toContain('flushCollection');
    expect(calls('Flush')).toBe(flushes);
    expect(calls('GetFlushState')).toBe(flushStates);
    const marker = parseSnapshotMarker(
      (
        await stack().gateway.describeSnapshot({
          db: 'default',
          collection: 'bk_noflush',
          snapshot: 'bk_noflush_s',
        })
      ).description,
    );
    expect(marker).toMatchObject({ flushed: false, rows: 50 });
    // Without flush, create_ts is the checkpoint of the seed's flush: before the run, and fine.
    expect(result.createTs).toBeLessThan((await handle.describe()).startTime.getTime());
  });

  it('names the snapshot from workflow time when started without a name (as a Schedule does)', async () => {
    await seed('bk_sched', 10, true);
    const handle = await stack().client.workflow.start(backupWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: 'bk-sched-like-run',
      args: [{ collection: 'bk_sched', nameTemplate: '{db}_{collection}_{yyyyMMdd}_{HHmmssSSS}' }],
    });
    const result = await handle.result();
    const { startTime } = await handle.describe();
    // The name is the run's own start (workflow time), rendered in UTC by the template.
    const match = /^default_bk_sched_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(\d{3})$/.exec(
      result.snapshot,
    );
    expect(match).not.toBeNull();
    const [y, mo, d, h, mi, sec, ms] = match!.slice(1).map(Number);
    const namedAt = Date.UTC(y!, mo! - 1, d!, h!, mi!, sec!, ms!);
    expect(namedAt).toBeGreaterThanOrEqual(startTime.getTime());
    expect(namedAt - startTime.getTime()).toBeLessThan(5_000);
    expect(result.snapshot).toBe(
      resolveSnapshotName('{db}_{collection}_{yyyyMMdd}_{HHmmssSSS}', {
        collection: 'bk_sched',
        db: 'default',
        at: new Date(namedAt),
      }),
    );
    expect(await stack().gateway.listSnapshots({ db: 'default', collection: 'bk_sched' })).toEqual([
      result.snapshot,
    ]);
  });

  it('retries UNAVAILABLE on several calls with backoff and then succeeds with one snapshot', async () => {
    const coll = await seed('bk_unavail', 30, false);
    stack().standin.faults.unavailableNext(2, ['Flush']);
    stack().standin.faults.unavailableNext(3, ['CreateSnapshot']);
    const handle = await start({ collection: 'bk_unavail', snapshot: 'bk_unavail_s' });
    const result = await handle.result();
    expect(result.rowCount).toBe(30);
    expect(await attempts(handle, 'flushCollection')).toEqual([3]);
    expect(await attempts(handle, 'createSnapshot')).toEqual([4]);
    expect(calls('CreateSnapshot')).toBe(4);
    expect(await stack().gateway.listSnapshots(coll)).toEqual(['bk_unavail_s']);
    // Backoff 500ms, 1s, 2s before the 4th create attempt.
    expect(result.durationsMs.create).toBeGreaterThanOrEqual(3_000);
  });

  it("fails at once with Milvus's message on a non-retryable create failure, creating nothing", async () => {
    const coll = await seed('bk_nonretry', 20, true);
    stack().standin.faults.failNext('CreateSnapshot', {
      code: 1100,
      reason: 'snapshot quota of the collection exceeded: invalid parameter',
    });
    const handle = await start({ collection: 'bk_nonretry', snapshot: 'bk_nonretry_s' });
    const err = await failureOf(handle.result());
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidArgument');
    expect(cause.message).toContain('snapshot quota of the collection exceeded: invalid parameter');
    expect(cause.message).toMatch(/^createSnapshot: /);
    expect(await attempts(handle, 'createSnapshot')).toEqual([1]);
    expect(calls('CreateSnapshot')).toBe(1);
    expect(await stack().gateway.listSnapshots(coll)).toEqual([]);
  });

  it('drops the snapshot and fails with the reason when verification finds a row count mismatch', async () => {
    const coll = await seed('bk_mismatch', 60, true);
    await insertDemoRows(stack().standin.address, { ...coll, start: 60, count: 9, dim: DIM });
    stack().standin.faults.set({ restoreDurationMs: 200 });
    // The compensation itself meets a flaky Milvus: it retries until the drop went through.
    stack().standin.faults.unavailableNext(2, ['DropSnapshot']);
    const handle = await start({
      collection: 'bk_mismatch',
      snapshot: 'bk_mismatch_s',
      flush: false,
      verifyRowsByRestore: true,
    });
    const err = await failureOf(handle.result());
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('SnapshotVerificationFailed');
    expect(cause.message).toContain(
      'the snapshot holds 60 rows (counted in a scratch restore) but the collection had 69',
    );
    expect(cause.message).toContain('9 rows were not flushed');
    expect(cause.message).toMatch(/the snapshot was dropped$/);
    expect(await stack().gateway.listSnapshots(coll)).toEqual([]);
    expect(calls('DropSnapshot')).toBe(3);
    expect(await attempts(handle, 'dropSnapshotIfMadeByRun')).toEqual([3]);
    expect(await activityNames(handle)).toEqual(
      expect.arrayContaining([
        'createSnapshot',
        'verifySnapshot',
        'countSnapshotRows',
        'dropSnapshotIfMadeByRun',
      ]),
    );
  });

  it('is not a mismatch when rows arrive after the flush: the snapshot holds the flushed rows', async () => {
    const coll = await seed('bk_late_rows', 40, false);
    stack().standin.faults.set({ restoreDurationMs: 200, latencyByMethod: { CreateSnapshot: 1_500 } });
    const handle = await start({
      collection: 'bk_late_rows',
      snapshot: 'bk_late_rows_s',
      verifyRowsByRestore: true,
    });
    await waitUntil(
      async () => calls('CreateSnapshot'),
      (n) => n >= 1,
    );
    await insertDemoRows(stack().standin.address, { ...coll, start: 40, count: 5, dim: DIM });
    const result = await handle.result();
    expect(result).toMatchObject({ rowCount: 40, restoredRowCount: 40 });
    expect(await stack().gateway.statisticsRowCount(coll)).toBe(45);
    expect(await stack().gateway.listSnapshots(coll)).toEqual(['bk_late_rows_s']);
  });

  it('drops the snapshot when the run is cancelled while its create is in flight', async () => {
    const coll = await seed('bk_cancel', 30, true);
    // The reads around the create run inside workflow tasks (local activities): the window a
    // cancellation can fall into after the create was sent is the create itself.
    stack().standin.faults.set({ latencyByMethod: { CreateSnapshot: 3_000 } });
    const handle = await start({ collection: 'bk_cancel', snapshot: 'bk_cancel_s' });
    await waitUntil(
      async () => calls('CreateSnapshot'),
      (n) => n >= 1,
    );
    const progress = await handle.query(backupProgressQuery);
    expect(progress).toMatchObject({ snapshot: 'bk_cancel_s', step: 'create' });
    expect(progress.durationsMs.count).toBeGreaterThanOrEqual(0);
    await handle.cancel();
    const err = await failureOf(handle.result());
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    stack().standin.faults.reset();
    expect(await stack().gateway.listSnapshots(coll)).toEqual([]);
    expect(calls('DropSnapshot')).toBe(1);
    expect(await activityNames(handle)).toContain('dropSnapshotIfMadeByRun');
    expect((await handle.describe()).status.name).toBe('CANCELLED');
  });

  it('cancelled during the scratch restore count: the restore finishes, scratch and snapshot are dropped', async () => {
    const coll = await seed('bk_cancel_restore', 25, true);
    stack().standin.faults.set({ restoreDurationMs: 2_000 });
    const handle = await start({
      collection: 'bk_cancel_restore',
      snapshot: 'bk_cancel_restore_s',
      verifyRowsByRestore: true,
    });
    await waitUntil(
      async () => calls('RestoreSnapshot'),
      (n) => n >= 1,
    );
    await handle.cancel();
    const err = await failureOf(handle.result());
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    expect(await stack().gateway.listSnapshots(coll)).toEqual([]);
    expect(
      await stack().gateway.hasCollection({ db: 'default', collection: '_msw_verify_bk_cancel_restore_s' }),
    ).toBe(false);
    expect(await stack().gateway.listCollections('default')).not.toContain('_msw_verify_bk_cancel_restore_s');
  });

  it("with ifExists 'fail' refuses an existing name before touching anything, and keeps the snapshot", async () => {
    const coll = await seed('bk_dup_fail', 25, true);
    const first = await (await start({ collection: 'bk_dup_fail', snapshot: 'bk_dup' })).result();
    const flushes = calls('Flush');
    const creates = calls('CreateSnapshot');
    const err = await failureOf((await start({ collection: 'bk_dup_fail', snapshot: 'bk_dup' })).result());
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('SnapshotAlreadyExists');
    expect(cause.message).toContain('nothing was created');
    expect(calls('Flush')).toBe(flushes);
    expect(calls('CreateSnapshot')).toBe(creates);
    expect(calls('DropSnapshot')).toBe(0);
    const still = await stack().gateway.describeSnapshot({ ...coll, snapshot: 'bk_dup' });
    expect(still.createTs).toBe(first.createTs);
  });

  it("with ifExists 'reuse' turns a re-run into a verification of the existing snapshot", async () => {
    const coll = await seed('bk_dup_reuse', 35, true);
    const first = await (
      await start({ collection: 'bk_dup_reuse', snapshot: 'bk_reuse', labels: { k: 'v' } })
    ).result();
    const creates = calls('CreateSnapshot');
    const flushes = calls('Flush');
    const again = await (
      await start({ collection: 'bk_dup_reuse', snapshot: 'bk_reuse', ifExists: 'reuse' })
    ).result();
    expect(again).toMatchObject({
      snapshot: 'bk_reuse',
      reused: true,
      rowCount: 35,
      createTs: first.createTs,
      labels: { k: 'v' },
      flushed: true,
    });
    expect(again.durationsMs.create).toBeUndefined();
    expect(calls('CreateSnapshot')).toBe(creates);
    expect(calls('Flush')).toBe(flushes);
    expect(await stack().gateway.listSnapshots(coll)).toEqual(['bk_reuse']);
  });

  it('reuses a snapshot made by someone else, learning its rows from a scratch restore', async () => {
    const coll = await seed('bk_foreign', 44, true);
    await stack().gateway.createSnapshot({
      ...coll,
      snapshot: 'by_hand',
      description: 'made in the console',
    });
    stack().standin.faults.set({ restoreDurationMs: 200 });
    const result = await (
      await start({
        collection: 'bk_foreign',
        snapshot: 'by_hand',
        ifExists: 'reuse',
        verifyRowsByRestore: true,
      })
    ).result();
    expect(result).toMatchObject({ reused: true, rowCount: 44, restoredRowCount: 44, labels: {} });
    expect(await stack().gateway.describeSnapshot({ ...coll, snapshot: 'by_hand' })).toMatchObject({
      description: 'made in the console',
    });
  });

  it('runs one backup per (db, collection, snapshot): a second start while running is refused', async () => {
    await seed('bk_once', 10, true);
    stack().standin.faults.set({ latencyByMethod: { Flush: 1_000 } });
    const handle = await start({ collection: 'bk_once', snapshot: 'bk_once_s' });
    await expect(start({ collection: 'bk_once', snapshot: 'bk_once_s' })).rejects.toBeInstanceOf(
      WorkflowExecutionAlreadyStartedError,
    );
    expect(handle.workflowId).toBe(backupWorkflowId({ collection: 'bk_once', snapshot: 'bk_once_s' }));
    await handle.result();
    expect(calls('CreateSnapshot')).toBe(1);
  });

  it('runs from a Temporal Schedule: the run names its snapshot from workflow time and completes', async () => {
    const coll = await seed('bk_scheduled', 16, false);
    const client = new SnapshotWorkerClient(stack().client, stack().taskQueue);
    const scheduleId = await client.scheduleBackup(
      { collection: 'bk_scheduled', labels: { schedule: 'hourly' } },
      { every: '1h' },
    );
    try {
      await stack().client.schedule.getHandle(scheduleId).trigger();
      const runs = await waitUntil(
        async () => {
          const found = [];
          for await (const run of stack().client.workflow.list({
            query: `MilvusCollection = 'bk_scheduled'`,
          }))
            found.push(run);
          return found;
        },
        (found) => found.some((r) => r.status.name === 'COMPLETED'),
        60_000,
        250,
      );
      const run = runs.find((r) => r.status.name === 'COMPLETED')!;
      expect(run.workflowId.startsWith(scheduleId)).toBe(true);
      const result = await stack().client.workflow.getHandle(run.workflowId, run.runId).result();
      expect(result.snapshot).toMatch(/^bk_scheduled_\d{8}_\d{6}$/);
      expect(result).toMatchObject({ rowCount: 16, labels: { schedule: 'hourly' } });
      expect(await stack().gateway.listSnapshots(coll)).toEqual([result.snapshot]);
    } finally {
      await stack().client.schedule.getHandle(scheduleId).delete();
    }
  });

  it('fails at once when the collection does not exist, before any flush', async () => {
    const err = await failureOf(
      (await start({ collection: 'bk_missing', snapshot: 'bk_missing_s' })).result(),
    );
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('CollectionNotFound');
    expect(cause.message).toMatch(/^inspectSnapshot: .*collection not found/);
    expect(calls('Flush')).toBe(0);
    expect(calls('CreateSnapshot')).toBe(0);
  });

  it('backs up an empty collection: an empty snapshot, 0 rows, counted 0 by a scratch restore', async () => {
    const coll = await seed('bk_empty', 0, true);
    stack().standin.faults.set({ restoreDurationMs: 100 });
    const handle = await start({ collection: 'bk_empty', snapshot: 'bk_empty_s', verifyRowsByRestore: true });
    const result = await handle.result();
    expect(result).toMatchObject({ snapshot: 'bk_empty_s', rowCount: 0, restoredRowCount: 0, flushed: true });
    expect(calls('CreateSnapshot')).toBe(1);
    expect(await stack().gateway.listSnapshots(coll)).toEqual(['bk_empty_s']);
  });

  it('with flush: false and nothing flushed yet the snapshot is taken (empty), not refused', async () => {
    const coll = await seed('bk_unsealed', 12, false);
    const handle = await start({ collection: 'bk_unsealed', snapshot: 'bk_unsealed_s', flush: false });
    const result = await handle.result();
    // The marker records what the collection counted; the snapshot holds only flushed data (none).
    expect(result).toMatchObject({ rowCount: 12, flushed: false });
    expect(await attempts(handle, 'createSnapshot')).toEqual([1]);
    expect(await stack().gateway.listSnapshots(coll)).toEqual(['bk_unsealed_s']);
  });

  it('fails invalid input without calling Milvus', async () => {
    const creates = calls('DescribeSnapshot');
    const handle = await stack().client.workflow.start(backupWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: 'bk-invalid-input',
      args: [{ collection: 'bk_any', nameTemplate: '{collection}_{week}' }],
    });
    const err = await failureOf(handle.result());
    expect((err.cause as ApplicationFailure).type).toBe('InvalidInput');
    expect(err.cause?.message).toMatch(/unknown placeholder \{week\}/);
    expect(calls('DescribeSnapshot')).toBe(creates);
  });
  /**
   * create_ts is the minimum channel checkpoint (internal/datacoord/handler.go GenSnapshot), so it
   * can be far older than the run. A stand-in of its own whose collection was last flushed an hour
   * ago (set in its persisted state between two starts; Milvus offers no way to age a flush).
   */
  describe('a collection last flushed an hour ago', () => {
    const HOUR_MS = 3_600_000;
    let dataDir: string;
    let aged: Standin;
    let agedGateway: MilvusGateway;
    let agedWorker: RunningWorker;
    let flushedAt: number;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'backup-aged-'));
      const first = await startStandin({ port: 0, dataDir });
      await seedDemoCollection(first.address, { collection: 'bk_aged', rows: 20, dim: DIM });
      await first.stop();
      flushedAt = Date.now() - HOUR_MS;
      editPersistedState(dataDir, (state) => {
        const coll = state.collections.find((c) => c.name === 'bk_aged')!;
        coll.channelCheckpoints = coll.channelCheckpoints!.map(() => epochMsToHybridTs(flushedAt));
        for (const segment of coll.segments) segment.sealedTs = epochMsToHybridTs(flushedAt - 1);
      });
      aged = await startStandin({ port: 0, dataDir });
      aged.faults.set({ restoreDurationMs: 100 });
      agedGateway = createMilvusGateway({ address: aged.address });
      agedWorker = await startWorker(stack().env, agedGateway);
    });

    afterAll(async () => {
      await agedWorker?.stop();
      await agedGateway?.close();
      await aged?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    function startAged(raw: BackupInput) {
      const { input, workflowId } = prepareBackupStart(raw);
      return stack().client.workflow.start(backupWorkflow, {
        taskQueue: agedWorker.taskQueue,
        workflowId,
        args: [input],
      });
    }

    it('flush: false passes with create_ts an hour before the run, and the snapshot holds every row', async () => {
      const handle = await startAged({
        collection: 'bk_aged',
        snapshot: 'bk_aged_noflush',
        flush: false,
        verifyRowsByRestore: true,
      });
      const result = await handle.result();
      expect(result.createTs).toBe(flushedAt);
      expect(result.createTs).toBeLessThan((await handle.describe()).startTime.getTime() - HOUR_MS / 2);
      expect(result).toMatchObject({ rowCount: 20, restoredRowCount: 20, flushed: false });
      expect(result.checks.join('\n')).toMatch(/holds at least the data written before it/);
    });

    it('with a flush, create_ts moves up to the run', async () => {
      const handle = await startAged({ collection: 'bk_aged', snapshot: 'bk_aged_flush' });
      const result = await handle.result();
      expect(result.createTs).toBeGreaterThanOrEqual((await handle.describe()).startTime.getTime() - 1_000);
      expect(result).toMatchObject({ rowCount: 20, flushed: true });
      expect((await agedGateway.listSnapshots({ db: 'default', collection: 'bk_aged' })).sort()).toEqual([
        'bk_aged_flush',
        'bk_aged_noflush',
      ]);
    });
  });
});
