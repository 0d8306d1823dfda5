import { MilvusCode } from '../src';
import {
  createRichCollection,
  insertRich,
  rawCall,
  restoreSnapshot,
  richCollectionWithSnapshots,
  runStandin,
  sdkClient,
  sleep,
  waitForRestore,
  type Running,
} from './fixtures';

/**
 * Snapshot create_ts, restore jobs and their listing as Milvus 3.0's source defines them, through
 * the Node SDK. Each test names the Milvus file and function it follows.
 */
describe('milvus stand-in: snapshot and restore-job semantics of Milvus 3.0', () => {
  let run: Running;

  beforeAll(async () => {
    run = await runStandin({ faults: { restoreDurationMs: 300 } });
  });
  afterAll(async () => run?.stop());
  afterEach(() => run.standin.faults.reset());

  const restore = (source: string, snapshot: string, target: string, extra: Record<string, unknown> = {}) =>
    restoreSnapshot(run.client, source, snapshot, target, extra);

  async function rowCount(collection: string): Promise<number> {
    await run.client.loadCollectionSync({ collection_name: collection });
    const res = await run.client.count({ collection_name: collection });
    return Number(res.data);
  }

  async function createTs(collection: string, snapshot: string): Promise<bigint> {
    const d = await run.client.describeSnapshot({ collection_name: collection, snapshot_name: snapshot });
    expect(d.status.code).toBe(0);
    return BigInt(String(d.create_ts));
  }

  it('create_ts is the minimum channel checkpoint: earlier than the call, moved by flush, not by inserts (handler.go GenSnapshot)', async () => {
    await createRichCollection(run.client, 'cp_src');
    await insertRich(run.client, 'cp_src', 0, 5);
    await run.client.flushSync({ collection_names: ['cp_src'] });
    await sleep(30);
    await insertRich(run.client, 'cp_src', 5, 9); // growing: no checkpoint moves
    const beforeCall = BigInt(Date.now()) << 18n;
    await run.client.createSnapshot({ collection_name: 'cp_src', snapshot_name: 'first' });
    await run.client.createSnapshot({ collection_name: 'cp_src', snapshot_name: 'second' });
    const first = await createTs('cp_src', 'first');
    expect(first).toBeLessThan(beforeCall);
    expect(await createTs('cp_src', 'second')).toBe(first);

    await run.client.flushSync({ collection_names: ['cp_src'] });
    await run.client.createSnapshot({ collection_name: 'cp_src', snapshot_name: 'third' });
    expect(await createTs('cp_src', 'third')).toBeGreaterThan(first);

    expect((await waitForRestore(run.client, await restore('cp_src', 'second', 'cp_second'))).state).toBe(
      'RestoreSnapshotCompleted',
    );
    expect(await rowCount('cp_second')).toBe(5);
    await waitForRestore(run.client, await restore('cp_src', 'third', 'cp_third'));
    expect(await rowCount('cp_third')).toBe(9);
  });

  it('snapshots a collection with no sealed segments; its restore reports progress 100 and completes empty (snapshot_manager.go calculateProgress)', async () => {
    await createRichCollection(run.client, 'empty_src');
    await insertRich(run.client, 'empty_src', 0, 3); // growing only
    const created = await run.client.createSnapshot({ collection_name: 'empty_src', snapshot_name: 'none' });
    expect(created.error_code).toBe('Success');
    const jobId = await restore('empty_src', 'none', 'empty_copy');
    const first = await run.client.getRestoreSnapshotState({ job_id: jobId });
    expect(first.info.progress).toBe(100);
    const done = await waitForRestore(run.client, jobId);
    expect(done).toMatchObject({ state: 'RestoreSnapshotCompleted', progress: 100 });
    expect(await rowCount('empty_copy')).toBe(0);
  });

  it('creates the target (schema, shards, indexes) inside RestoreSnapshot; Pending, then Executing with progress in whole segment steps (snapshot_manager.go RestoreSnapshot, calculateProgress)', async () => {
    const created = await run.client.createCollection({
      collection_name: 'seg_src',
      shards_num: 2,
      fields: [
        { name: 'pk', data_type: 'Int64', is_primary_key: true, autoID: false },
        { name: 'embedding', data_type: 'FloatVector', dim: 4 },
        { name: 'label', data_type: 'VarChar', max_length: 64 },
        { name: 'score', data_type: 'Float' },
        { name: 'active', data_type: 'Bool' },
        { name: 'meta', data_type: 'JSON' },
      ],
      index_params: [{ field_name: 'embedding', index_type: 'AUTOINDEX', metric_type: 'COSINE' }],
    });
    expect(created.error_code).toBe('Success');
    for (let i = 0; i < 4; i++) {
      await insertRich(run.client, 'seg_src', i * 2, i * 2 + 2);
      await run.client.flush({ collection_names: ['seg_src'] });
    }
    await run.client.createSnapshot({ collection_name: 'seg_src', snapshot_name: 'four' });
    // Pending lasts 10 % of the duration: long enough to see it after four more calls on a loaded machine.
    run.standin.faults.set({ restoreDurationMs: 8000 });
    const jobId = await restore('seg_src', 'four', 'seg_copy');

    expect((await run.client.hasCollection({ collection_name: 'seg_copy' })).value).toBe(true);
    const dst = await run.client.describeCollection({ collection_name: 'seg_copy' });
    expect(dst.shards_num).toBe(2);
    const index = await run.client.describeIndex({ collection_name: 'seg_copy', field_name: 'embedding' });
    expect(index.status.code).toBe(0);
    const again = await run.client.restoreSnapshot({
      snapshot_name: 'four',
      source_collection_name: 'seg_src',
      target_collection_name: 'seg_copy',
    });
    expect(again.status).toMatchObject({
      code: 65535,
      reason:
        'failed to restore collection: create duplicate collection with different parameters, collection: seg_copy',
    });

    const states: string[] = [];
    const progress = new Set<number>();
    for (;;) {
      const { info } = await run.client.getRestoreSnapshotState({ job_id: jobId });
      if (states[states.length - 1] !== info.state) states.push(String(info.state));
      progress.add(Number(info.progress));
      if (info.state === 'RestoreSnapshotCompleted') break;
      await sleep(10);
    }
    expect(states).toEqual([
      'RestoreSnapshotPending',
      'RestoreSnapshotExecuting',
      'RestoreSnapshotCompleted',
    ]);
    for (const p of progress) expect([0, 25, 50, 75, 100]).toContain(p);
    expect(await rowCount('seg_copy')).toBe(8);
  });

  it('a failed job keeps its target collection and reports time_cost 0 (copy_segment_checker.go, calculateTimeCost)', async () => {
    await createRichCollection(run.client, 'fail_src');
    await insertRich(run.client, 'fail_src', 0, 4);
    await run.client.flushSync({ collection_names: ['fail_src'] });
    await run.client.createSnapshot({ collection_name: 'fail_src', snapshot_name: 's' });
    run.standin.faults.set({ restoreFailAtPercent: 50, restoreFailReason: 'copy failed' });
    const info = await waitForRestore(run.client, await restore('fail_src', 's', 'fail_copy'));
    expect(info).toMatchObject({ state: 'RestoreSnapshotFailed', reason: 'copy failed', time_cost: '0' });
    expect((await run.client.hasCollection({ collection_name: 'fail_copy' })).value).toBe(true);
  });

  it('a pinned snapshot survives DropCollection: a running restore of it still completes (ddl_callbacks_drop_collection.go, snapshot_meta.go DropSnapshotsByCollection)', async () => {
    await createRichCollection(run.client, 'doomed_src');
    await insertRich(run.client, 'doomed_src', 0, 6);
    await run.client.flushSync({ collection_names: ['doomed_src'] });
    await run.client.createSnapshot({ collection_name: 'doomed_src', snapshot_name: 'held' });
    await run.client.createSnapshot({ collection_name: 'doomed_src', snapshot_name: 'loose' });
    run.standin.faults.set({ restoreDurationMs: 1000 });
    const jobId = await restore('doomed_src', 'held', 'doomed_copy');
    expect((await run.client.dropCollection({ collection_name: 'doomed_src' })).error_code).toBe('Success');
    expect((await waitForRestore(run.client, jobId)).state).toBe('RestoreSnapshotCompleted');
    expect(await rowCount('doomed_copy')).toBe(6);
    await createRichCollection(run.client, 'doomed_src');
    expect((await run.client.listSnapshots({ collection_name: 'doomed_src' })).snapshots).toEqual([]);
  });

  it('ListRestoreSnapshotJobs: the dbname header or "default", 100 for a missing collection, 800 for a missing database, names resolved from the collection id (task_snapshot.go listRestoreSnapshotJobsTask, resolveCollectionNames)', async () => {
    await createRichCollection(run.client, 'list_src');
    await insertRich(run.client, 'list_src', 0, 2);
    await run.client.flushSync({ collection_names: ['list_src'] });
    await run.client.createSnapshot({ collection_name: 'list_src', snapshot_name: 's' });
    await run.client.createDatabase({ db_name: 'list_db' });
    const inDb = await waitForRestore(
      run.client,
      await restore('list_src', 's', 'in_list_db', { target_db_name: 'list_db' }),
    );
    const inDefault = await restore('list_src', 's', 'in_default');
    await waitForRestore(run.client, inDefault);

    const notYet = await run.client.listRestoreSnapshotJobs({ collection_name: 'not_created_yet' });
    expect(notYet.status).toMatchObject({
      code: MilvusCode.CollectionNotFound,
      reason: 'collection not found[database=default][collection=not_created_yet]',
      extra_info: { is_input_error: 'true' },
    });
    const noDb = await run.client.listRestoreSnapshotJobs({ db_name: 'no_such_db' });
    expect(noDb.status.code).toBe(MilvusCode.DatabaseNotFound);

    const scoped = sdkClient(run.standin, { database: 'list_db' });
    try {
      const viaHeader = await scoped.listRestoreSnapshotJobs({});
      expect(viaHeader.jobs.map((j) => j.job_id)).toEqual([inDb.job_id]);
    } finally {
      await scoped.closeConnection();
    }
    const defaults = await run.client.listRestoreSnapshotJobs({});
    expect(defaults.jobs.map((j) => j.job_id)).toContain(inDefault);
    expect(defaults.jobs.map((j) => j.job_id)).not.toContain(inDb.job_id);

    await run.client.dropCollection({ collection_name: 'in_default' });
    const after = await run.client.getRestoreSnapshotState({ job_id: inDefault });
    expect(after.info).toMatchObject({ db_name: '', collection_name: '', state: 'RestoreSnapshotCompleted' });
    expect((await run.client.listRestoreSnapshotJobs({})).jobs.map((j) => j.job_id)).not.toContain(inDefault);
  });

  it('restore without target_db_name goes to "default", whatever database the source is in (snapshot_manager.go RestoreSnapshot)', async () => {
    await run.client.createDatabase({ db_name: 'src_db' });
    const scoped = sdkClient(run.standin, { database: 'src_db' });
    try {
      await richCollectionWithSnapshots(scoped, 'other_db_src', ['s'], 3);
      const jobId = await restoreSnapshot(scoped, 'other_db_src', 's', 'landed_in_default');
      expect((await waitForRestore(run.client, jobId)).db_name).toBe('default');
      expect((await run.client.hasCollection({ collection_name: 'landed_in_default' })).value).toBe(true);
    } finally {
      await scoped.closeConnection();
    }
  });

  it('validates like the proxy: 1101 for missing parameters, TTL and protection limits, `$` in collection names (task_snapshot.go PreExecute, util.go)', async () => {
    await createRichCollection(run.client, 'val_src');
    await run.client.createSnapshot({ collection_name: 'val_src', snapshot_name: 's' });
    const missing = (message: string) => ({
      code: 1101,
      error_code: 'IllegalArgument',
      reason: `${message}: missing parameter`,
      extra_info: { is_input_error: 'true' },
    });
    // The SDK refuses an empty collection_name itself, so these go over plain gRPC.
    const raw = async (method: string, request: Record<string, unknown>) => {
      const res = await rawCall(run.standin, method, request);
      return (res.status ?? res) as Record<string, unknown>;
    };
    expect(await raw('DropSnapshot', { collection_name: '', name: 's' })).toMatchObject(
      missing('collection_name is required for drop snapshot'),
    );
    expect(await raw('DescribeSnapshot', { collection_name: '', name: 's' })).toMatchObject(
      missing('collection_name is required for describe snapshot'),
    );
    expect(await raw('ListSnapshots', { collection_name: '' })).toMatchObject(
      missing('collection_name is required for ListSnapshots'),
    );
    expect(await raw('PinSnapshotData', { collection_name: '', name: 's', ttl_seconds: 1 })).toMatchObject(
      missing('collection_name is required for pin snapshot data'),
    );
    expect(
      await raw('RestoreSnapshot', { name: 's', collection_name: '', target_collection_name: 'x' }),
    ).toMatchObject(missing('collection_name is required for restore snapshot'));
    expect(
      await raw('RestoreSnapshot', { name: 's', collection_name: 'val_src', target_collection_name: '' }),
    ).toMatchObject(missing('target_collection_name is required for restore snapshot'));
    expect(await raw('UnpinSnapshotData', { pin_id: 0 })).toMatchObject(
      missing('pin_id is required for unpin snapshot data'),
    );

    expect(
      await run.client.createSnapshot({
        collection_name: 'val_src',
        snapshot_name: 'too_long',
        compaction_protection_seconds: 604801,
      }),
    ).toMatchObject({
      code: 1100,
      reason: 'compaction_protection_seconds must not exceed 604800: invalid parameter',
    });
    expect(
      (
        await run.client.pinSnapshotData({
          collection_name: 'val_src',
          snapshot_name: 's',
          ttl_seconds: 2592001,
        })
      ).status,
    ).toMatchObject({
      code: 1100,
      reason: 'ttl_seconds exceeds maximum of 2592000 (30 days): invalid parameter',
    });

    expect(
      (
        await run.client.restoreSnapshot({
          snapshot_name: 's',
          source_collection_name: 'val_src',
          target_collection_name: 'with$dollar',
        })
      ).status.code,
    ).toBe(0);
    expect(
      (
        await run.client.restoreSnapshot({
          snapshot_name: 's',
          source_collection_name: 'val_src',
          target_collection_name: '$first',
        })
      ).status,
    ).toMatchObject({
      code: 1100,
      reason:
        'Invalid collection name: $first.  the first character of a collection name must be an underscore or letter: invalid parameter',
    });
  });
});

/** Simulated time (timeScale) makes the hour-long rules observable in a second. */
describe('milvus stand-in: restore-job lifetimes of Milvus 3.0', () => {
  let run: Running;
  beforeAll(async () => {
    run = await runStandin();
    await createRichCollection(run.client, 'life_src');
    await insertRich(run.client, 'life_src', 0, 3);
    await run.client.flushSync({ collection_names: ['life_src'] });
    await run.client.createSnapshot({ collection_name: 'life_src', snapshot_name: 's' });
  });
  afterAll(async () => run?.stop());
  afterEach(() => run.standin.faults.reset());

  async function restore(target: string): Promise<string> {
    const res = await run.client.restoreSnapshot({
      snapshot_name: 's',
      source_collection_name: 'life_src',
      target_collection_name: target,
    });
    expect(res.status.code).toBe(0);
    return String(res.job_id);
  }

  it('a finished job disappears copySegmentTaskRetention (3 h) after it ends, then answers 2101 (component_param.go, snapshot_manager.go GetRestoreState)', async () => {
    const jobId = await restore('kept_for_hours');
    expect((await waitForRestore(run.client, jobId)).state).toBe('RestoreSnapshotCompleted');
    run.standin.faults.set({ timeScale: 3600 * 100 }); // 1 real ms = 100 simulated s
    await sleep(400); // > 3 simulated hours
    const gone = await run.client.getRestoreSnapshotState({ job_id: jobId });
    expect(gone.status).toMatchObject({
      code: 2101,
      reason: `restore job not found: jobID=${jobId}: importing data failed on server side`,
    });
    expect((await run.client.hasCollection({ collection_name: 'kept_for_hours' })).value).toBe(true);
  });

  it('a job still running after 24 h fails with "timeout" and its pin of the source lapses (copy_segment_checker.go, CopySegmentJobTimeout)', async () => {
    run.standin.faults.set({ restoreDurationMs: 48 * 3600 * 1000 });
    const jobId = await restore('never_finishes');
    const refused = await run.client.dropSnapshot({ collection_name: 'life_src', snapshot_name: 's' });
    expect(refused.code).toBe(MilvusCode.SnapshotPinned);
    run.standin.faults.set({ timeScale: 60_000 });
    await sleep(500); // about 8 simulated hours
    run.standin.faults.set({ timeScale: 36_000 }); // the rest in ~1.6 s; retention 3 h = 300 ms
    const info = await waitForRestore(run.client, jobId, 10_000);
    expect(info).toMatchObject({ state: 'RestoreSnapshotFailed', reason: 'timeout', time_cost: '0' });
    expect(
      (await run.client.dropSnapshot({ collection_name: 'life_src', snapshot_name: 's' })).error_code,
    ).toBe('Success');
  });
});
