import {
  createRichCollection,
  insertRich,
  rawCall,
  richCollectionWithSnapshots,
  runStandin,
  sleep,
  waitForRestore,
  type Running,
} from './fixtures';

/**
 * A dropped collection and RestoreExternalSnapshot (issue 13), through the SDK and raw gRPC:
 * rootcoord ddl_callbacks_drop_collection.go → datacoord snapshot_meta.go DropSnapshotsByCollection
 * (pinned snapshots survive, unreachable by name: task_snapshot.go resolves collection_name first),
 * snapshot_manager.go RestoreExternalSnapshot (an ordinary restore job, no pin), path.go
 * BuildInstanceSnapshotURI / parseForeignURI (both forms of s3_location).
 */
describe('milvus stand-in: dropped collection and RestoreExternalSnapshot', () => {
  let run: Running;

  beforeAll(async () => {
    run = await runStandin({ faults: { restoreDurationMs: 300 } });
  });
  afterAll(async () => run?.stop());

  const collectionWithSnapshots = (name: string, snapshots: string[], rows = 12) =>
    richCollectionWithSnapshots(run.client, name, snapshots, rows);

  async function describe_(collection: string, snapshot: string) {
    return run.client.describeSnapshot({ collection_name: collection, snapshot_name: snapshot });
  }

  async function pin(collection: string, snapshot: string, ttl: number): Promise<string> {
    const res = await run.client.pinSnapshotData({
      collection_name: collection,
      snapshot_name: snapshot,
      ttl_seconds: ttl,
    });
    expect(res.status.code).toBe(0);
    return String(res.pin_id);
  }

  function restoreExternal(uri: string, target: string, extra: Record<string, unknown> = {}) {
    return rawCall(run.standin, 'RestoreExternalSnapshot', {
      db_name: 'default',
      target_collection_name: target,
      snapshot_metadata_uri: uri,
      ...extra,
    });
  }

  it('DescribeSnapshot answers s3_location as a minio:// URI of the metadata file (path.go BuildInstanceSnapshotURI)', async () => {
    await collectionWithSnapshots('ext_uri', ['s1']);
    const d = await describe_('ext_uri', 's1');
    expect(d.s3_location).toMatch(
      /^minio:\/\/127\.0\.0\.1:9000\/a-bucket\/files\/snapshots\/\d+\/metadata\/\d+\.json$/,
    );
  });

  it('drop cascades unpinned snapshots; a pinned one survives but is unreachable by name; RestoreExternalSnapshot by its URI restores every row as an ordinary restore job', async () => {
    await collectionWithSnapshots('ext_drop', ['kept', 'gone'], 12);
    const kept = String((await describe_('ext_drop', 'kept')).s3_location);
    const gone = String((await describe_('ext_drop', 'gone')).s3_location);
    const pinId = await pin('ext_drop', 'kept', 0);
    expect((await run.client.dropCollection({ collection_name: 'ext_drop' })).error_code).toBe('Success');

    // Every snapshot call resolves collection_name first (task_snapshot.go PreExecute): 100.
    expect((await describe_('ext_drop', 'kept')).status.code).toBe(100);
    expect((await run.client.listSnapshots({ collection_name: 'ext_drop' })).status.code).toBe(100);
    const byName = await run.client.restoreSnapshot({
      snapshot_name: 'kept',
      source_collection_name: 'ext_drop',
      target_collection_name: 'ext_byname',
    });
    expect(byName.status.code).toBe(100);

    const res = await restoreExternal(kept, 'ext_back');
    expect(res.status.code).toBe(0);
    const jobId = String(res.job_id);
    // Created inside the call, not loaded.
    expect((await run.client.hasCollection({ collection_name: 'ext_back' })).value).toBe(true);
    expect(String((await run.client.getLoadState({ collection_name: 'ext_back' })).state)).toBe(
      'LoadStateNotLoad',
    );
    const listed = await run.client.listRestoreSnapshotJobs({ collection_name: 'ext_back' });
    expect(listed.jobs.map((j) => String(j.job_id))).toEqual([jobId]);
    const info = await waitForRestore(run.client, jobId);
    expect(info).toMatchObject({ state: 'RestoreSnapshotCompleted', snapshot_name: 'kept', progress: 100 });
    await run.client.loadCollectionSync({ collection_name: 'ext_back' });
    const count = await run.client.query({ collection_name: 'ext_back', output_fields: ['count(*)'] });
    expect(Number(count.data[0]['count(*)'])).toBe(12);

    // The unpinned one went with the collection: its metadata file is gone (merr ErrIoKeyNotFound).
    const lost = await restoreExternal(gone, 'ext_lost');
    expect(lost.status.code).toBe(1000);
    expect(lost.status.reason).toMatch(
      /^failed to read external snapshot data: key not found\[key=files\/snapshots\//,
    );
    expect((await run.client.hasCollection({ collection_name: 'ext_lost' })).value).toBe(false);

    // The restore took no pin: unpinning the user's pin lets GC collect the orphan.
    expect((await run.client.unpinSnapshotData({ pin_id: pinId })).error_code).toBe('Success');
    expect((await restoreExternal(kept, 'ext_after_unpin')).status.code).toBe(1000);
  });

  it('a pin with a TTL keeps the orphan until it expires, then it is collected (ttl 0 = until unpinned)', async () => {
    await collectionWithSnapshots('ext_ttl', ['short', 'forever'], 3);
    const short = String((await describe_('ext_ttl', 'short')).s3_location);
    const forever = String((await describe_('ext_ttl', 'forever')).s3_location);
    await pin('ext_ttl', 'short', 3600);
    await pin('ext_ttl', 'forever', 0);
    await run.client.dropCollection({ collection_name: 'ext_ttl' });
    expect((await restoreExternal(short, 'ext_ttl_a')).status.code).toBe(0);
    // One simulated hour passes in ~20 ms of real time.
    run.standin.faults.set({ timeScale: 200_000 });
    await sleep(200);
    run.standin.faults.set({ timeScale: 1 });
    expect((await restoreExternal(short, 'ext_ttl_b')).status.code).toBe(1000);
    expect((await restoreExternal(forever, 'ext_ttl_c')).status.code).toBe(0);
  });

  it('accepts the older form too: the object key under the root path (s3LocationForm "key")', async () => {
    const older = await runStandin({
      storage: { s3LocationForm: 'key' },
      faults: { restoreDurationMs: 100 },
    });
    try {
      await createRichCollection(older.client, 'ext_key');
      await insertRich(older.client, 'ext_key', 0, 5);
      await older.client.flushSync({ collection_names: ['ext_key'] });
      await older.client.createSnapshot({ collection_name: 'ext_key', snapshot_name: 's' });
      const d = await older.client.describeSnapshot({ collection_name: 'ext_key', snapshot_name: 's' });
      expect(d.s3_location).toMatch(/^files\/snapshots\/\d+\/metadata\/\d+\.json$/);
      const res = await rawCall(older.standin, 'RestoreExternalSnapshot', {
        target_collection_name: 'ext_key_back',
        snapshot_metadata_uri: d.s3_location,
      });
      expect(res.status.code).toBe(0);
      expect((await waitForRestore(older.client, String(res.job_id))).state).toBe('RestoreSnapshotCompleted');
    } finally {
      await older.stop();
    }
  });

  it('refuses as Milvus does: empty URI, existing target, another storage service, no metadata anchor, bad external_spec', async () => {
    await collectionWithSnapshots('ext_refuse', ['s'], 2);
    const uri = String((await describe_('ext_refuse', 's')).s3_location);
    const cases: [string, Record<string, unknown>, number, RegExp][] = [
      ['', {}, 1100, /^snapshot_metadata_uri is required for restore external snapshot: invalid parameter$/],
      [
        uri,
        { target_collection_name: 'ext_refuse' },
        1100,
        /^target collection ext_refuse already exists in database default: invalid parameter$/,
      ],
      [
        uri.replace('127.0.0.1:9000', 'minio.elsewhere:9000'),
        {},
        1100,
        /^server-side cross-bucket copy is unsupported/,
      ],
      [uri.replace(/^minio:\/\/[^/]+\//, 'gs://'), {}, 1100, /^server-side cross-bucket copy is unsupported/],
      [
        'minio://127.0.0.1:9000/a-bucket/files/x.json',
        {},
        1100,
        /^restore metadata URI must end with snapshots\/\{collectionID\}\/metadata\/\{snapshotID\}\.json/,
      ],
      ['files/../snapshots/1/metadata/2.json', {}, 1100, /path traversal/],
      [uri, { external_spec: '{"extfs": {"access_key_id": "AKIA-SECRET"' }, 1100, /^parse external spec/],
    ];
    for (const [u, extra, code, reason] of cases) {
      const res = await restoreExternal(u, 'ext_refused', extra);
      expect({ code: res.status.code, reason: res.status.reason }).toEqual({
        code,
        reason: expect.stringMatching(reason),
      });
      expect(res.status.reason).not.toContain('AKIA-SECRET');
    }
    expect((await run.client.hasCollection({ collection_name: 'ext_refused' })).value).toBe(false);
  });

  it("reads the metadata URI as Milvus's path.go parseForeignURI and deriveSnapshotBundleAnchor do", async () => {
    await collectionWithSnapshots('ext_uri', ['s'], 2);
    const uri = String((await describe_('ext_uri', 's')).s3_location);
    const [, own, collectionId, snapshotId] =
      /^(minio:\/\/[^/]+\/a-bucket\/files)\/snapshots\/(\d+)\/metadata\/(\d+)\.json$/.exec(uri) ?? [];
    expect(own).toBeDefined();
    const anchorRule =
      /^restore metadata URI must end with snapshots\/\{collectionID\}\/metadata\/\{snapshotID\}\.json/;
    const cases: [string, number, RegExp][] = [
      // the raw path is checked before anything normalises the dot segments away
      [`${own}/x/../snapshots/${collectionId}/metadata/${snapshotId}.json`, 1100, /path traversal/],
      [uri.replace('minio://', 'minio://user@'), 1100, /^foreign_uri must not embed credentials/],
      [`${uri}?versionId=1`, 1100, /^foreign_uri must not include query parameters or fragments/],
      [`${uri}#x`, 1100, /^foreign_uri must not include query parameters or fragments/],
      [uri.replace('minio://', 'ftp://'), 1100, /^foreign_uri scheme "ftp" is not supported/],
      ['azure://127.0.0.1:9000/a-bucket', 1100, /^foreign_uri must include container and object key/],
      ['minio:///a-bucket/files', 1100, /^foreign_uri must include a bucket or endpoint host/],
      // a cloud provider's host makes an s3:// URI endpoint-style: another storage service
      [
        `s3://a-bucket.s3.amazonaws.com/files/snapshots/${collectionId}/metadata/${snapshotId}.json`,
        1100,
        /^server-side cross-bucket copy is unsupported/,
      ],
      [`${own}/snapshots/9223372036854775808/metadata/${snapshotId}.json`, 1100, anchorRule],
      [`${own}/snapshots/0/metadata/${snapshotId}.json`, 1100, anchorRule],
      // strconv.ParseInt takes leading zeros: the anchor holds, and that key has no metadata file
      [
        `${own}/snapshots/0${collectionId}/metadata/${snapshotId}.json`,
        1000,
        /^failed to read external snapshot data: key not found/,
      ],
    ];
    for (const [u, code, reason] of cases) {
      const res = await restoreExternal(u, 'ext_uri_refused');
      expect({ uri: u, code: res.status.code, reason: res.status.reason }).toEqual({
        uri: u,
        code,
        reason: expect.stringMatching(reason),
      });
    }
    expect((await run.client.hasCollection({ collection_name: 'ext_uri_refused' })).value).toBe(false);
  });
});
