import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandin, type Standin } from '../src';
import { seedDemoCollection } from '../src/seed';

const PYTHON = join(__dirname, '..', '..', '..', '.tools', 'venv', 'bin', 'python');

async function runPy(args: string[]): Promise<Record<string, any>> {
  const { stdout } = await promisify(execFile)(PYTHON, [join(__dirname, 'pymilvus-dr.py'), ...args]);
  return JSON.parse(stdout.trim().split('\n').pop() as string);
}

/**
 * pymilvus 3.0.2 bundles milvus-proto's DR messages (RestoreExternalSnapshot, the asynchronous
 * ExportSnapshot with job_id, GetExportSnapshotState/ExportSnapshotInfo): the stand-in's answers
 * must decode with pymilvus's own generated code, not only with the proto this project carries.
 */
describe('milvus stand-in: DR RPCs cross-checked with pymilvus 3.0.2', () => {
  let standin: Standin;

  beforeAll(async () => {
    standin = await startStandin({ port: 0, faults: { restoreDurationMs: 300 } });
  });
  afterAll(async () => standin?.stop());

  it('describe s3_location → drop the collection → RestoreExternalSnapshot → GetRestoreSnapshotState, ListRestoreSnapshotJobs', async () => {
    await seedDemoCollection(standin.address, { collection: 'py_dr_items', rows: 120, dim: 8 });
    const out = await runPy([standin.address, 'py_dr_items']);
    expect(out.s3Location).toMatch(
      /^minio:\/\/127\.0\.0\.1:9000\/a-bucket\/files\/snapshots\/\d+\/metadata\/\d+\.json$/,
    );
    expect(out.restoreExternal.code).toBe(0);
    expect(out.restore).toEqual({
      state: 'RestoreSnapshotCompleted',
      snapshot: 'py_dr',
      collection: 'py_dr_items_back',
    });
    expect(out.jobs).toEqual([out.restoreExternal.jobId]);
    expect(out.restoredCount).toBe(120);
  });

  it('ExportSnapshot answers job_id (field 3) with field 2 empty; GetExportSnapshotState decodes as ExportSnapshotInfo; the bundle restores after the drop', async () => {
    await seedDemoCollection(standin.address, { collection: 'py_exp_items', rows: 90, dim: 8 });
    const out = await runPy([standin.address, 'py_exp_items', 'minio://127.0.0.1:9000/py-backup/nightly']);
    expect(out.export.code).toBe(0);
    expect(Number(out.export.jobId)).toBeGreaterThan(0);
    expect(out.export.deprecatedUri).toBe('');
    expect(out.exportStates[out.exportStates.length - 1]).toBe('ExportSnapshotCompleted');
    expect(
      out.exportStates.every((s: string) => /^ExportSnapshot(Pending|Executing|Completed)$/.test(s)),
    ).toBe(true);
    expect(out.exportInfo).toMatchObject({ progress: 100, snapshot: 'py_dr', collection: 'py_exp_items' });
    expect(out.exportInfo.copiedFiles).toBe(out.exportInfo.totalFiles);
    expect(Number(out.exportInfo.totalBytes)).toBeGreaterThan(0);
    expect(out.exportInfo.uri).toMatch(
      /^minio:\/\/127\.0\.0\.1:9000\/py-backup\/nightly\/exports\/.+\.json$/,
    );
    expect(out.unknownExport).toEqual({
      code: 1100,
      reason: 'snapshot export job 42 not found: invalid parameter',
    });
    expect(out.restore.state).toBe('RestoreSnapshotCompleted');
    expect(out.restoredCount).toBe(90);
  });
});
