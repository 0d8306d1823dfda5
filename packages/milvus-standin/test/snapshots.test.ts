import { MilvusCode } from '../src';
import {
  createRichCollection,
  insertRich,
  restoreSnapshot,
  richRow,
  runStandin,
  sdkClient,
  sleep,
  waitForRestore,
  type Running,
} from './fixtures';

/** Snapshot, pin and restore semantics of Milvus 3.0, through the SDK. */
describe('milvus stand-in: snapshots and restores', () => {
  let run: Running;
  const SRC = 'snap_source';

  beforeAll(async () => {
    run = await runStandin({ faults: { restoreDurationMs: 400 } });
    await createRichCollection(run.client, SRC);
    await insertRich(run.client, SRC, 0, 10);
    await run.client.flushSync({ collection_names: [SRC] });
    // Growing rows: not sealed, so no snapshot may contain them.
    await insertRich(run.client, SRC, 10, 15);
    expect(
      (
        await run.client.createSnapshot({
          collection_name: SRC,
          snapshot_name: 'base',
          description: 'ten sealed rows',
        })
      ).error_code,
    ).toBe('Success');
  });
  afterAll(async () => run?.stop());

  const restore = (snapshot: string, target: string, extra: Record<string, unknown> = {}) =>
    restoreSnapshot(run.client, SRC, snapshot, target, extra);

  async function allRows(collection: string, db?: string) {
    await run.client.loadCollectionSync({ collection_name: collection, ...(db ? { db_name: db } : {}) });
    const res = await run.client.query({
      collection_name: collection,
      filter: 'pk >= 0',
      output_fields: ['*'],
      ...(db ? { db_name: db } : {}),
    });
    expect(res.status.code).toBe(0);
    return res.data;
  }

  it('lists and describes a snapshot; create_ts is a hybrid TSO timestamp', async () => {
    expect((await run.client.listSnapshots({ collection_name: SRC })).snapshots).toEqual(['base']);
    const d = await run.client.describeSnapshot({ collection_name: SRC, snapshot_name: 'base' });
    expect(d.status.code).toBe(0);
    expect(d).toMatchObject({
      name: 'base',
      description: 'ten sealed rows',
      collection_name: SRC,
      partition_names: ['_default'],
    });
    expect(d.s3_location).toMatch(
      /^minio:\/\/127\.0\.0\.1:9000\/a-bucket\/files\/snapshots\/\d+\/metadata\/\d+\.json$/,
    );
    const physicalMs = Number(BigInt(String(d.create_ts)) >> 18n);
    expect(Math.abs(physicalMs - Date.now())).toBeLessThan(60_000);
    expect(BigInt(String(d.create_ts))).toBeGreaterThan(BigInt(Date.now()) << 17n);
  });

  it('restores exactly the sealed rows and the schema: Pending → Executing → Completed', async () => {
    // Long enough (200 ms Pending) to observe every state on a busy machine.
    run.standin.faults.set({ restoreDurationMs: 2000 });
    const jobId = await restore('base', 'restored_base');
    const seen: string[] = [];
    const progress: number[] = [];
    let targetWhileExecuting: boolean | undefined;
    for (;;) {
      const { info } = await run.client.getRestoreSnapshotState({ job_id: jobId });
      if (seen[seen.length - 1] !== info.state) seen.push(String(info.state));
      progress.push(Number(info.progress));
      if (info.state === 'RestoreSnapshotExecuting' && targetWhileExecuting === undefined) {
        targetWhileExecuting = (await run.client.hasCollection({ collection_name: 'restored_base' }))
          .value as boolean;
        expect(Number(info.time_cost)).toBe(0);
      }
      if (info.state === 'RestoreSnapshotCompleted') {
        expect(info).toMatchObject({
          snapshot_name: 'base',
          collection_name: 'restored_base',
          db_name: 'default',
          progress: 100,
          reason: '',
        });
        expect(Math.abs(Number(info.start_time) - Date.now())).toBeLessThan(10_000);
        expect(Number(info.time_cost)).toBeGreaterThanOrEqual(2000);
        break;
      }
      await sleep(15);
    }
    run.standin.faults.set({ restoreDurationMs: 400 });
    expect(seen).toEqual(['RestoreSnapshotPending', 'RestoreSnapshotExecuting', 'RestoreSnapshotCompleted']);
    expect(targetWhileExecuting).toBe(true);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const rows = await allRows('restored_base');
    expect(rows.map((r) => Number(r.pk))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const row of rows) expect(row.embedding).toEqual(richRow(Number(row.pk)).embedding);
    const src = await run.client.describeCollection({ collection_name: SRC });
    const dst = await run.client.describeCollection({ collection_name: 'restored_base' });
    expect(dst.schema.fields.map((f) => [f.name, f.data_type, f.fieldID])).toEqual(
      src.schema.fields.map((f) => [f.name, f.data_type, f.fieldID]),
    );
    expect(dst.shards_num).toBe(src.shards_num);
    const index = await run.client.describeIndex({
      collection_name: 'restored_base',
      field_name: 'embedding',
    });
    expect(index.index_descriptions[0]?.params).toEqual(
      expect.arrayContaining([{ key: 'metric_type', value: 'COSINE' }]),
    );
  });

  it('keeps a point-in-time copy: later deletes in the source do not reach it', async () => {
    await run.client.delete({ collection_name: SRC, filter: 'pk in [0, 1, 2]' });
    const info = await waitForRestore(run.client, await restore('base', 'restored_after_delete'));
    expect(info.state).toBe('RestoreSnapshotCompleted');
    expect((await allRows('restored_after_delete')).length).toBe(10);
  });

  it('refuses a duplicate name, invalid names and a missing collection (proxy util.go ValidateSnapshotName)', async () => {
    const dup = await run.client.createSnapshot({ collection_name: SRC, snapshot_name: 'base' });
    expect(dup).toMatchObject({
      code: 1100,
      error_code: 'IllegalArgument',
      reason: 'snapshot name base already exists: invalid parameter',
      extra_info: { is_input_error: 'true' },
    });

    const long = 'x'.repeat(256);
    const cases: [string, string][] = [
      [' ', 'snapshot name should be not empty'],
      [
        '1st',
        'Invalid snapshot name: 1st.  the first character of a snapshot name must be an underscore or letter',
      ],
      ['a-b', 'Invalid snapshot name: a-b.  snapshot name can only contain numbers, letters and underscores'],
      [
        long,
        `Invalid snapshot name: ${long}.  the length of a snapshot name must be less than 255 characters`,
      ],
    ];
    for (const [name, message] of cases) {
      const res = await run.client.createSnapshot({ collection_name: SRC, snapshot_name: name });
      expect(res).toMatchObject({ code: 1100, reason: `${message}: invalid parameter` });
    }

    const missing = await run.client.createSnapshot({ collection_name: 'ghost', snapshot_name: 's' });
    expect(missing).toMatchObject({
      code: MilvusCode.CollectionNotFound,
      reason: 'collection not found[database=default][collection=ghost]',
    });
    expect((await run.client.listSnapshots({ collection_name: SRC })).snapshots).toEqual(['base']);
  });

  it('accepts compaction_protection_seconds and keeps names unique per collection only', async () => {
    await createRichCollection(run.client, 'other_source');
    await insertRich(run.client, 'other_source', 0, 2);
    await run.client.flush({ collection_names: ['other_source'] });
    const res = await run.client.createSnapshot({
      collection_name: 'other_source',
      snapshot_name: 'base',
      compaction_protection_seconds: 3600,
    });
    expect(res.error_code).toBe('Success');
    expect(
      (await run.client.describeSnapshot({ collection_name: 'other_source', snapshot_name: 'base' }))
        .collection_name,
    ).toBe('other_source');
  });

  it('describes a missing snapshot as SnapshotNotFound and drops it idempotently', async () => {
    const res = await run.client.describeSnapshot({ collection_name: SRC, snapshot_name: 'nope' });
    expect(res.status.code).toBe(MilvusCode.SnapshotNotFound);
    expect(res.status.reason).toMatch(/^collection \d+: snapshot not found\[snapshot=nope\]$/);
    expect((await run.client.dropSnapshot({ collection_name: SRC, snapshot_name: 'nope' })).error_code).toBe(
      'Success',
    );
  });

  it('refuses to drop a pinned snapshot (2601) until unpinned; unpinning twice is fine', async () => {
    await run.client.createSnapshot({ collection_name: SRC, snapshot_name: 'pinned' });
    const pin = await run.client.pinSnapshotData({
      collection_name: SRC,
      snapshot_name: 'pinned',
      ttl_seconds: 3600,
    });
    expect(pin.status.code).toBe(0);
    expect(BigInt(String(pin.pin_id))).toBeGreaterThan(0n);
    const refused = await run.client.dropSnapshot({ collection_name: SRC, snapshot_name: 'pinned' });
    expect(refused.code).toBe(MilvusCode.SnapshotPinned);
    expect(refused.reason).toContain('active pins exist');
    expect((await run.client.unpinSnapshotData({ pin_id: pin.pin_id })).error_code).toBe('Success');
    expect((await run.client.unpinSnapshotData({ pin_id: pin.pin_id })).error_code).toBe('Success');
    expect(
      (await run.client.dropSnapshot({ collection_name: SRC, snapshot_name: 'pinned' })).error_code,
    ).toBe('Success');
    expect((await run.client.listSnapshots({ collection_name: SRC })).snapshots).not.toContain('pinned');

    const missing = await run.client.pinSnapshotData({
      collection_name: SRC,
      snapshot_name: 'pinned',
      ttl_seconds: 10,
    });
    expect(missing.status.code).toBe(MilvusCode.SnapshotNotFound);
  });

  it('refuses to drop a snapshot a running restore uses, and allows it once the restore ends', async () => {
    await run.client.createSnapshot({ collection_name: SRC, snapshot_name: 'in_use' });
    const jobId = await restore('in_use', 'restored_in_use');
    const refused = await run.client.dropSnapshot({ collection_name: SRC, snapshot_name: 'in_use' });
    expect(refused.code).toBe(2601);
    expect((await waitForRestore(run.client, jobId)).state).toBe('RestoreSnapshotCompleted');
    expect(
      (await run.client.dropSnapshot({ collection_name: SRC, snapshot_name: 'in_use' })).error_code,
    ).toBe('Success');
  });

  it('refuses to restore into an existing collection or over a pending restore of the same name (create_collection_task.go validateIfCollectionExists, wrapped by snapshot_manager.go RestoreSnapshot)', async () => {
    const existing = await run.client.restoreSnapshot({
      snapshot_name: 'base',
      source_collection_name: SRC,
      target_collection_name: SRC,
    });
    expect(existing.status).toMatchObject({
      code: 65535,
      reason: `failed to restore collection: create duplicate collection with different parameters, collection: ${SRC}`,
    });
    const first = await restore('base', 'twice_target');
    const second = await run.client.restoreSnapshot({
      snapshot_name: 'base',
      source_collection_name: SRC,
      target_collection_name: 'twice_target',
    });
    expect(second.status.code).toBe(65535);
    await waitForRestore(run.client, first);
    const missing = await run.client.restoreSnapshot({
      snapshot_name: 'ghost',
      source_collection_name: SRC,
      target_collection_name: 'never',
    });
    expect(missing.status.code).toBe(MilvusCode.SnapshotNotFound);
  });

  it('restores into another database; lists jobs of one database or one target collection (snapshot_manager.go ListRestoreJobs)', async () => {
    await run.client.createDatabase({ db_name: 'dr' });
    const jobId = await restore('base', 'restored_dr', { target_db_name: 'dr' });
    expect((await waitForRestore(run.client, jobId)).db_name).toBe('dr');
    expect((await run.client.hasCollection({ collection_name: 'restored_dr', db_name: 'dr' })).value).toBe(
      true,
    );
    expect((await allRows('restored_dr', 'dr')).length).toBe(10);

    // No db_name and no dbname header: the database interceptor makes it "default".
    const inDefault = await run.client.listRestoreSnapshotJobs({});
    expect(inDefault.jobs.length).toBeGreaterThanOrEqual(4);
    expect(inDefault.jobs.every((j) => j.db_name === 'default')).toBe(true);
    const byDb = await run.client.listRestoreSnapshotJobs({ db_name: 'dr' });
    expect(byDb.jobs.map((j) => j.collection_name)).toEqual(['restored_dr']);
    const byCollection = await run.client.listRestoreSnapshotJobs({ collection_name: 'restored_base' });
    expect(byCollection.jobs).toHaveLength(1);
    expect(byCollection.jobs[0]).toMatchObject({ snapshot_name: 'base', state: 'RestoreSnapshotCompleted' });
  });

  it('answers an unknown job id with Milvus ImportSysFailed (2101)', async () => {
    const res = await run.client.getRestoreSnapshotState({ job_id: '123456' });
    expect(res.status.code).toBe(2101);
    expect(res.status.reason).toBe(
      'restore job not found: jobID=123456: importing data failed on server side',
    );
  });

  it('drops a collection even when a snapshot of it is pinned; a new collection of that name has none', async () => {
    const name = 'doomed';
    await createRichCollection(run.client, name);
    await insertRich(run.client, name, 0, 3);
    await run.client.flush({ collection_names: [name] });
    await run.client.createSnapshot({ collection_name: name, snapshot_name: 'loose' });
    await run.client.createSnapshot({ collection_name: name, snapshot_name: 'kept' });
    await run.client.pinSnapshotData({ collection_name: name, snapshot_name: 'kept', ttl_seconds: 0 });
    await run.client.dropCollection({ collection_name: name });
    await createRichCollection(run.client, name);
    // Snapshots belong to the dropped collection's id, not to the new collection of the same name.
    expect((await run.client.listSnapshots({ collection_name: name })).snapshots).toEqual([]);
  });

  it('uses the dbname metadata of a client opened on another database', async () => {
    await run.client.createDatabase({ db_name: 'meta_db' });
    const scoped = sdkClient(run.standin, { database: 'meta_db' });
    try {
      await createRichCollection(scoped, 'scoped');
      await insertRich(scoped, 'scoped', 0, 4);
      await scoped.flush({ collection_names: ['scoped'] });
      expect(
        (await scoped.createSnapshot({ collection_name: 'scoped', snapshot_name: 's' })).error_code,
      ).toBe('Success');
      expect((await scoped.listSnapshots({ collection_name: 'scoped' })).snapshots).toEqual(['s']);
      expect((await run.client.listSnapshots({ collection_name: 'scoped' })).status.code).toBe(
        MilvusCode.CollectionNotFound,
      );
    } finally {
      await scoped.closeConnection();
    }
  });
});
