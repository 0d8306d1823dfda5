import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRichCollection,
  insertRich,
  rawCall,
  runStandin,
  sleep,
  waitForRestore,
  type Running,
} from './fixtures';

/**
 * Asynchronous ExportSnapshot / GetExportSnapshotState and restoring the bundle into a second
 * cluster (issue 14), following internal/datacoord/snapshot_export_manager.go (Submit, GetJobInfo,
 * reconcile, executeJob, snapshotExportCopyProgress) and snapshotio/storage (resolver.go,
 * path.go). Two stand-ins share one object store directory: two clusters on one MinIO.
 */
describe('milvus stand-in: snapshot export and cross-cluster restore', () => {
  let store: string;
  let primary: Running;
  let dr: Running;

  beforeAll(async () => {
    store = mkdtempSync(join(tmpdir(), 'standin-store-'));
    primary = await runStandin({
      storage: { objectStoreDir: store, bucket: 'primary-bucket' },
      faults: { restoreDurationMs: 200, exportDurationMs: 600 },
    });
    dr = await runStandin({
      storage: { objectStoreDir: store, bucket: 'dr-bucket' },
      faults: { restoreDurationMs: 200 },
    });
    await createRichCollection(primary.client, 'exp_src');
    for (let i = 0; i < 3; i++) {
      await insertRich(primary.client, 'exp_src', i * 10, i * 10 + 10);
      await primary.client.flushSync({ collection_names: ['exp_src'] });
    }
    await primary.client.createSnapshot({ collection_name: 'exp_src', snapshot_name: 'nightly' });
  });
  afterAll(async () => {
    await primary?.stop();
    await dr?.stop();
    rmSync(store, { recursive: true, force: true });
  });
  afterEach(() => primary.standin.faults.reset());

  const exportSnapshot = (extra: Record<string, unknown> = {}) =>
    rawCall(primary.standin, 'ExportSnapshot', {
      name: 'nightly',
      collection_name: 'exp_src',
      target_s3_path: 'minio://127.0.0.1:9000/backup/offsite',
      ...extra,
    });
  const state = async (jobId: string) =>
    (await rawCall(primary.standin, 'GetExportSnapshotState', { job_id: jobId })) as Record<string, any>;

  async function waitExport(jobId: string) {
    const seen: { state: string; progress: number }[] = [];
    for (let i = 0; i < 600; i++) {
      const { info } = await state(jobId);
      const last = seen[seen.length - 1];
      if (!last || last.state !== info.state || last.progress !== info.progress)
        seen.push({ state: info.state, progress: info.progress });
      if (info.state === 'ExportSnapshotCompleted' || info.state === 'ExportSnapshotFailed')
        return { info, seen };
      await sleep(20);
    }
    throw new Error(`export ${jobId} did not finish`);
  }

  it('exports asynchronously: job_id (field 3, field 2 empty), Pending/Executing with progress 5…95, 99, then Completed with the metadata URI, files and bytes', async () => {
    const res = await exportSnapshot();
    expect(res.status.code).toBe(0);
    expect(res.snapshot_metadata_uri).toBe('');
    const jobId = String(res.job_id);
    expect(jobId).toMatch(/^[1-9]\d*$/);
    const { info, seen } = await waitExport(jobId);
    expect(info).toMatchObject({
      job_id: jobId,
      snapshot_name: 'nightly',
      db_name: 'default',
      collection_name: 'exp_src',
      state: 'ExportSnapshotCompleted',
      progress: 100,
      reason: '',
      total_files: '3',
      copied_files: '3',
    });
    expect(info.snapshot_metadata_uri).toMatch(
      /^minio:\/\/127\.0\.0\.1:9000\/backup\/offsite\/exports\/[0-9a-f-]{36}\/snapshots\/\d+\/metadata\/\d+\.json$/,
    );
    expect(Number(info.total_bytes)).toBeGreaterThan(0);
    expect(Number(info.start_time)).toBeGreaterThan(Date.now() - 120_000);
    expect(Number(info.time_cost)).toBeGreaterThan(0);
    for (const { progress } of seen) expect(progress === 0 || (progress >= 5 && progress <= 100)).toBe(true);
    const progresses = seen.map((s) => s.progress);
    expect([...progresses].sort((a, b) => a - b)).toEqual(progresses);

    // The bundle: <target>/exports/<uuid>/{files, snapshots/<cid>/{manifests, metadata}} in bucket "backup".
    const key = String(info.snapshot_metadata_uri).replace('minio://127.0.0.1:9000/backup/', '');
    expect(existsSync(join(store, 'backup', ...key.split('/')))).toBe(true);
    const root = key.replace(/\/snapshots\/.*$/, '');
    expect(readdirSync(join(store, 'backup', ...root.split('/'))).sort()).toEqual(['files', 'snapshots']);
    expect(readdirSync(join(store, 'backup', ...root.split('/'), 'files'))).toHaveLength(3);

    // The DR cluster restores the bundle by its URI (same storage service, another bucket).
    const restored = await rawCall(dr.standin, 'RestoreExternalSnapshot', {
      target_collection_name: 'exp_back',
      snapshot_metadata_uri: info.snapshot_metadata_uri,
    });
    expect(restored.status.code).toBe(0);
    const done = await waitForRestore(dr.client, String(restored.job_id));
    expect(done).toMatchObject({ state: 'RestoreSnapshotCompleted', snapshot_name: 'nightly' });
    await dr.client.loadCollectionSync({ collection_name: 'exp_back' });
    await primary.client.loadCollectionSync({ collection_name: 'exp_src' });
    const query = (c: Running, name: string) =>
      c.client.query({ collection_name: name, filter: 'pk >= 0', output_fields: ['*'], limit: 100 });
    const [a, b] = [await query(primary, 'exp_src'), await query(dr, 'exp_back')];
    const byPk = (rows: Record<string, unknown>[]) =>
      [...rows].sort((x, y) => Number(x.pk) - Number(y.pk)).map((r) => JSON.stringify(r));
    expect(byPk(b.data)).toEqual(byPk(a.data));
    expect(b.data).toHaveLength(30);
  });

  it('runs one export at a time per cluster: a second one waits in Pending', async () => {
    primary.standin.faults.set({ exportDurationMs: 1500 });
    const first = String((await exportSnapshot()).job_id);
    const second = String((await exportSnapshot()).job_id);
    let sawBoth = false;
    for (let i = 0; i < 200 && !sawBoth; i++) {
      const [a, b] = [(await state(first)).info.state, (await state(second)).info.state];
      if (a === 'ExportSnapshotExecuting') {
        expect(b).toBe('ExportSnapshotPending');
        sawBoth = true;
      }
      await sleep(10);
    }
    expect(sawBoth).toBe(true);
    expect((await waitExport(first)).info.state).toBe('ExportSnapshotCompleted');
    expect((await waitExport(second)).info.state).toBe('ExportSnapshotCompleted');
  });

  it('fault: fails once progress reaches N %, with the reason, no metadata URI, and an unusable bundle', async () => {
    primary.standin.faults.set({ exportFailAtPercent: 40, exportFailReason: 'copy failed: SlowDown' });
    const jobId = String(
      (await exportSnapshot({ target_s3_path: 'minio://127.0.0.1:9000/backup/failing' })).job_id,
    );
    const { info } = await waitExport(jobId);
    expect(info).toMatchObject({
      state: 'ExportSnapshotFailed',
      reason: 'copy failed: SlowDown',
      snapshot_metadata_uri: '',
      total_bytes: '0',
    });
    expect(info.progress).toBeLessThan(40);
    expect(Number(info.copied_files)).toBeLessThan(3);
    expect(existsSync(join(store, 'backup', 'failing'))).toBe(true);
    // The snapshot's pin went with the job: it can be dropped again.
  });

  it('refuses as Milvus does and forgets finished jobs 3 h after they end; times out after 12 h', async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ collection_name: '' }, 1100, /^collection_name is required for export snapshot: invalid parameter$/],
      [{ target_s3_path: '' }, 1100, /^target_s3_path is required for export snapshot: invalid parameter$/],
      [{ collection_name: 'exp_absent' }, 100, /collection not found/],
      [{ name: 'absent' }, 2600, /snapshot not found\[snapshot=absent\]/],
      [
        { target_s3_path: 'minio://other-minio:9000/backup/x' },
        1100,
        /^server-side cross-bucket copy is unsupported/,
      ],
      [{ target_s3_path: 'gs://backup/x' }, 1100, /^server-side cross-bucket copy is unsupported/],
    ];
    for (const [extra, code, reason] of cases) {
      const res = await exportSnapshot(extra);
      expect({ code: res.status.code, reason: res.status.reason }).toEqual({
        code,
        reason: expect.stringMatching(reason),
      });
    }
    const unknown = await state('424242');
    expect(unknown.status).toMatchObject({
      code: 1100,
      reason: 'snapshot export job 424242 not found: invalid parameter',
    });

    const done = String((await exportSnapshot()).job_id);
    await waitExport(done);
    primary.standin.faults.set({ exportDurationMs: 100_000_000 });
    const stuck = String((await exportSnapshot()).job_id);
    // A simulated 100 s per real ms until the stuck job's 12 h deadline passes (well before its 3 h retention).
    primary.standin.faults.set({ timeScale: 100_000 });
    let timedOut: Record<string, any> = {};
    for (let i = 0; i < 500; i++) {
      timedOut = (await state(stuck)).info;
      if (timedOut.state === 'ExportSnapshotFailed') break;
    }
    primary.standin.faults.set({ timeScale: 1 });
    expect(timedOut).toMatchObject({
      state: 'ExportSnapshotFailed',
      reason: 'snapshot export job timed out',
    });
    expect(Number(timedOut.time_cost)).toBeGreaterThanOrEqual(12 * 3600 * 1000);
    // The first job ended 12 h ago: forgotten.
    expect((await state(done)).status).toMatchObject({
      code: 1100,
      reason: `snapshot export job ${done} not found: invalid parameter`,
    });
  });
});

describe('milvus stand-in: an export job across a restart, and its pin', () => {
  it('holds a pin on the snapshot while it runs (DropSnapshot 2601), releases it at the end, and a restart on the same data dir lets it finish', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'standin-export-data-'));
    const store = mkdtempSync(join(tmpdir(), 'standin-export-store-'));
    const options = { dataDir, storage: { objectStoreDir: store }, faults: { exportDurationMs: 4000 } };
    let run = await runStandin(options);
    try {
      await createRichCollection(run.client, 'exp_restart');
      await insertRich(run.client, 'exp_restart', 0, 6);
      await run.client.flushSync({ collection_names: ['exp_restart'] });
      await run.client.createSnapshot({ collection_name: 'exp_restart', snapshot_name: 's' });
      const res = await rawCall(run.standin, 'ExportSnapshot', {
        name: 's',
        collection_name: 'exp_restart',
        target_s3_path: 's3://backup/restart',
      });
      const jobId = String(res.job_id);
      const drop = await run.client.dropSnapshot({ collection_name: 'exp_restart', snapshot_name: 's' });
      expect(drop.code).toBe(2601);
      await run.stop();
      run = await runStandin({ ...options, faults: { exportDurationMs: 300 } });
      let info: Record<string, any> = {};
      for (let i = 0; i < 500 && !/Completed|Failed/.test(String(info.state)); i++) {
        info = (await rawCall(run.standin, 'GetExportSnapshotState', { job_id: jobId })).info;
        await sleep(20);
      }
      expect(info).toMatchObject({ job_id: jobId, state: 'ExportSnapshotCompleted' });
      // s3://bucket/key: the instance's endpoint, bucket "backup" (resolver.go: another bucket is fine).
      expect(info.snapshot_metadata_uri).toMatch(/^minio:\/\/127\.0\.0\.1:9000\/backup\/restart\/exports\//);
      expect(
        (await run.client.dropSnapshot({ collection_name: 'exp_restart', snapshot_name: 's' })).error_code,
      ).toBe('Success');
    } finally {
      await run.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(store, { recursive: true, force: true });
    }
  });
});
