import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { RESTORE_PROGRESS, RESTORE_STATE, MILVUS_COLLECTION } from '../../src/temporal/search-attributes';
import { restoreWorkflow } from '../../src/workflows/restore';
import { restoreProgressQuery, restoreWorkflowId, type RestoreInput } from '../../src/contracts/restore';
import { recordHistory } from '../helpers/history-json';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../../dev/wait-until';
import { rejectionOf } from '../helpers/failure';
import { callsPerTest, useStack } from '../helpers/stack';

const SOURCE = 'restore_items';
const SNAPSHOT = 'restore_items_snap';
const ROWS = 120;

/** Dev server + in-process worker + stand-in over TCP: the restore workflow end to end. */
describe('restoreWorkflow', () => {
  const stack = useStack({
    // Several segments, so the job's progress (copied segments) moves while it runs.
    prepare: (s) => seedSnapshot(s, { collection: SOURCE, snapshot: SNAPSHOT, rows: ROWS, segments: 10 }),
  });

  const calls = callsPerTest(() => stack().standin);

  function input(target: string, extra: Partial<RestoreInput> = {}): RestoreInput {
    return {
      snapshot: SNAPSHOT,
      sourceCollection: SOURCE,
      targetCollection: target,
      pollInterval: '250ms',
      ...extra,
    };
  }

  function start(args: RestoreInput) {
    return stack().client.workflow.start(restoreWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: restoreWorkflowId(args),
      args: [args],
    });
  }

  const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, WorkflowFailedError);

  it('restores, verifies the row count against the snapshot marker and a sample query, reports', async () => {
    const args = input('restore_happy', { verify: { load: true, sampleSize: 7 } });
    const handle = await start(args);
    const result = await handle.result();

    expect(result.jobId).toMatch(/^\d+$/);
    expect(result.adopted).toBe(false);
    expect(result.verifiedRowCount).toBe(ROWS);
    expect(result.verification).toMatchObject({
      passed: true,
      expectedRowCount: ROWS,
      expectedRowCountSource: 'snapshot-marker',
      sampleRows: 7,
    });
    expect(await stack().gateway.countRows({ db: 'default', collection: 'restore_happy' })).toBe(ROWS);
    expect(calls('RestoreSnapshot')).toBe(1);
    // The stand-in's job takes 1.5 s; completion must be noticed within one poll interval (+ slack).
    expect(result.restoreDurationMs).toBeGreaterThanOrEqual(1500);
    expect(result.restoreDurationMs).toBeLessThan(1500 + 250 + 1500);
    expect(result.completedAt).toBeGreaterThanOrEqual(result.jobCompletedAt);

    const progress = await handle.query(restoreProgressQuery);
    expect(progress).toMatchObject({
      phase: 'completed',
      state: 'Completed',
      progress: 100,
      jobId: result.jobId,
    });
    const { typedSearchAttributes, memo } = await handle.describe();
    expect(typedSearchAttributes.get(RESTORE_STATE)).toBe('Completed');
    expect(typedSearchAttributes.get(RESTORE_PROGRESS)).toBe(100);
    expect(typedSearchAttributes.get(MILVUS_COLLECTION)).toBe('restore_happy');
    expect(memo?.restoreJobId).toBe(result.jobId);

    await recordHistory(handle, 'restoreWorkflow.json');
  });

  it('adopts a job a crashed earlier attempt left running instead of starting a second one', async () => {
    const { jobId } = await stack().gateway.restoreSnapshot({
      snapshot: SNAPSHOT,
      sourceDb: 'default',
      sourceCollection: SOURCE,
      targetDb: 'default',
      targetCollection: 'restore_adopted',
    });
    const result = await (await start(input('restore_adopted'))).result();
    expect(result).toMatchObject({ jobId, adopted: true, verifiedRowCount: ROWS });
    expect(calls('RestoreSnapshot')).toBe(1);
    expect(
      await stack().gateway.listRestoreJobs({ db: 'default', collection: 'restore_adopted' }),
    ).toHaveLength(1);
  });

  it('refuses an existing target with a clear error and drops nothing', async () => {
    await seedSnapshot(stack(), {
      collection: 'restore_taken',
      snapshot: 'taken_snap',
      rows: 5,
    });
    const err = await failureOf(start(input('restore_taken')).then((h) => h.result()));
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    expect((err.cause as ApplicationFailure).type).toBe('TargetCollectionExists');
    expect(err.cause?.message).toContain('target collection default.restore_taken already exists');
    expect(await stack().gateway.countRows({ db: 'default', collection: 'restore_taken' })).toBe(5);
    expect(calls('RestoreSnapshot')).toBe(0);
    expect(calls('DropCollection')).toBe(0);
  });

  it('fails non-retryably with a clear message when the snapshot does not exist', async () => {
    const err = await failureOf(
      start(input('restore_nosnap', { snapshot: 'no_such_snapshot' })).then((h) => h.result()),
    );
    expect((err.cause as ApplicationFailure).type).toBe('SnapshotNotFound');
    expect(err.cause?.message).toContain(
      `Snapshot "no_such_snapshot" of collection default.${SOURCE} does not exist`,
    );
    expect(calls('DescribeSnapshot')).toBe(1); // non-retryable: asked once
    expect(calls('RestoreSnapshot')).toBe(0);
  });

  it('surfaces the Milvus reason verbatim when the job fails midway, and drops the target Milvus keeps', async () => {
    const reason = 'copy segment 4471 failed: object storage returned AccessDenied (simulated)';
    stack().standin.faults.set({
      restoreDurationMs: 4000,
      restoreFailAtPercent: 60,
      restoreFailReason: reason,
    });
    const handle = await start(input('restore_fails'));
    const err = await failureOf(handle.result());
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('RestoreJobFailed');
    const { progress } = cause.details?.[0] as { progress: number };
    expect(progress).toBeGreaterThan(0); // some of the 10 segments were copied
    expect(progress).toBeLessThan(100);
    expect(cause.message).toContain(`failed at ${progress}%: ${reason}`);
    expect(cause.details?.[0]).toMatchObject({ state: 'Failed', reason });
    // A failed job keeps its target in Milvus (copy_segment_checker.go drops nothing): the compensation does.
    expect(cause.message).toContain('The partially restored target default.restore_fails was dropped.');
    expect(calls('DropCollection')).toBeGreaterThanOrEqual(1);
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'restore_fails' })).toBe(false);
    expect(await handle.query(restoreProgressQuery)).toMatchObject({
      phase: 'failed',
      state: 'Failed',
      reason,
    });
  });

  it('refuses while another restore job is writing into the target, and starts nothing', async () => {
    await stack().gateway.createSnapshot({ db: 'default', collection: SOURCE, snapshot: 'other_snap' });
    stack().standin.faults.set({ restoreDurationMs: 4000 });
    const other = await stack().gateway.restoreSnapshot({
      snapshot: 'other_snap',
      sourceDb: 'default',
      sourceCollection: SOURCE,
      targetDb: 'default',
      targetCollection: 'restore_busy',
    });
    const err = await failureOf(start(input('restore_busy')).then((h) => h.result()));
    expect((err.cause as ApplicationFailure).type).toBe('TargetRestoreInProgress');
    expect(err.cause?.message).toContain(`restore job ${other.jobId} of snapshot "other_snap"`);
    expect(calls('RestoreSnapshot')).toBe(1); // only the other one
    expect(calls('DropCollection')).toBe(0);
  });

  it('drops the target when verification fails (row count differs from the expected one)', async () => {
    const handle = await start(input('restore_mismatch', { verify: { expectedRowCount: ROWS + 1 } }));
    const err = await failureOf(handle.result());
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('RestoreVerificationFailed');
    expect(cause.message).toContain(`row count ${ROWS} differs from the snapshot's ${ROWS + 1}`);
    expect(cause.message).toContain('The partially restored target default.restore_mismatch was dropped.');
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'restore_mismatch' })).toBe(
      false,
    );
  });

  it("a Milvus refusal after the job keeps Milvus's error kind, and the target is dropped", async () => {
    const reason = 'collection not found[database=default][collection=restore_refused]';
    stack().standin.faults.failNext('GetCollectionStatistics', { code: 100, reason });
    const err = await failureOf(start(input('restore_refused')).then((h) => h.result()));
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('CollectionNotFound'); // not wrapped as RestoreFailed
    expect(cause.message).toContain('Restore failed while verifying: ');
    expect(cause.message).toContain(reason);
    expect(cause.message).toContain('The partially restored target default.restore_refused was dropped.');
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'restore_refused' })).toBe(false);
  });

  it("keeps the target with onFailure: 'keep' when cancelled", async () => {
    stack().standin.faults.set({ restoreDurationMs: 6000 });
    const handle = await start(input('restore_kept', { onFailure: 'keep' }));
    await waitUntil(
      () => handle.query(restoreProgressQuery),
      (p) => p.state === 'Executing',
      20_000,
    );
    await handle.cancel();
    const err = await failureOf(handle.result());
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'restore_kept' })).toBe(true);
    expect(calls('DropCollection')).toBe(0);
  });

  it('cancelled while the job is still Pending: drops the target RestoreSnapshot created', async () => {
    stack().standin.faults.set({ restoreDurationMs: 40_000 }); // Pending for the first 2 s
    const handle = await start(input('restore_early_cancel'));
    const seen = await waitUntil(
      () => handle.query(restoreProgressQuery),
      (p) => p.jobId !== undefined,
      10_000,
      50,
    );
    expect(seen.state).toBe('Pending');
    // RestoreSnapshot creates the target inside the call (snapshot_manager.go RestoreSnapshot).
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'restore_early_cancel' })).toBe(
      true,
    );
    await handle.cancel();
    stack().standin.faults.set({ timeScale: 10 }); // let the job run to its end within seconds
    const err = await failureOf(handle.result());
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    const job = await stack().gateway.getRestoreState(seen.jobId!);
    expect(['Completed', 'Failed']).toContain(job.state);
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'restore_early_cancel' })).toBe(
      false,
    );
    expect(calls('DropCollection')).toBeGreaterThanOrEqual(1);
  });

  it('shows live progress, and on cancellation mid-wait drops the target it created', async () => {
    stack().standin.faults.set({ restoreDurationMs: 12_000 });
    const handle = await start(input('restore_cancelled'));
    const seen = await waitUntil(
      () => handle.query(restoreProgressQuery),
      (p) => p.state === 'Executing' && p.progress >= 20,
      30_000,
    );
    expect(seen.jobId).toMatch(/^\d+$/);
    expect(seen.phase).toBe('waiting');
    expect(seen.elapsedMs).toBeGreaterThan(0);
    expect((await handle.describe()).typedSearchAttributes.get(RESTORE_STATE)).toBe('Executing');
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'restore_cancelled' })).toBe(
      true,
    );

    await handle.cancel();
    const err = await failureOf(handle.result());
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'restore_cancelled' })).toBe(
      false,
    );
    expect(calls('DropCollection')).toBeGreaterThanOrEqual(1);
    // Listing by the dropped target would answer 100; the job itself is still known.
    const job = await stack().gateway.getRestoreState(seen.jobId!);
    expect(job.state).toBe('Failed'); // the compensation waited for the job to end, nothing is left
  });
});
