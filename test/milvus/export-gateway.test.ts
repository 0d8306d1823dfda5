import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandin, type Standin } from 'milvus-standin';
import type { ExportJobInfo, MilvusGateway } from '../../src/milvus/gateway';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';
import { expectKind, milvusError, seedCollection, waitForRestore } from '../helpers/gateway';

/**
 * The gateway's asynchronous export (issue 14) over the carried proto, against two stand-ins on one
 * object store: export on the primary, poll the job, restore the bundle on the DR cluster.
 */

const DB = 'default';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

async function waitExport(gateway: MilvusGateway, jobId: string): Promise<ExportJobInfo[]> {
  const seen: ExportJobInfo[] = [];
  for (let i = 0; i < 1000; i++) {
    const info = await gateway.getExportState(jobId);
    seen.push(info);
    if (info.state === 'Completed' || info.state === 'Failed') return seen;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`export ${jobId} did not finish`);
}

describe('SdkMilvusGateway: exportSnapshot and getExportState', () => {
  let store: string;
  let primary: Standin;
  let dr: Standin;
  let gateway: MilvusGateway;
  let drGateway: MilvusGateway;
  const ref = { db: DB, collection: 'exp_gw', snapshot: 'exp_gw_nightly' };

  beforeAll(async () => {
    store = mkdtempSync(join(tmpdir(), 'gw-store-'));
    primary = await startStandin({
      port: 0,
      storage: { objectStoreDir: store, bucket: 'primary' },
      faults: { exportDurationMs: 500 },
    });
    dr = await startStandin({
      port: 0,
      storage: { objectStoreDir: store, bucket: 'dr' },
      faults: { restoreDurationMs: 200 },
    });
    gateway = createMilvusGateway({ address: primary.address, timeoutMs: 5_000 });
    drGateway = createMilvusGateway({ address: dr.address, timeoutMs: 5_000 });
    await seedCollection(primary.address, ref.collection, 25);
    await gateway.createSnapshot(ref);
  });
  afterEach(() => primary.faults.reset());
  afterAll(async () => {
    await gateway?.close();
    await drGateway?.close();
    await primary?.stop();
    await dr?.stop();
    rmSync(store, { recursive: true, force: true });
  });

  it('exports, polls to Completed (files, bytes, metadata URI), and the DR cluster restores every row from the bundle', async () => {
    const { jobId } = await gateway.exportSnapshot({
      ...ref,
      targetPath: 'minio://127.0.0.1:9000/offsite/nightly',
    });
    const seen = await waitExport(gateway, jobId);
    const done = seen[seen.length - 1];
    expect(done).toMatchObject({
      jobId,
      snapshot: ref.snapshot,
      db: DB,
      collection: ref.collection,
      state: 'Completed',
      progress: 100,
      reason: '',
    });
    expect(done.totalFiles).toBeGreaterThan(0);
    expect(done.copiedFiles).toBe(done.totalFiles);
    expect(done.totalBytes).toBeGreaterThan(0);
    expect(done.metadataUri).toMatch(
      /^minio:\/\/127\.0\.0\.1:9000\/offsite\/nightly\/exports\/.+\/metadata\/\d+\.json$/,
    );
    // Before completion there is no URI and no byte count (snapshot_export_manager.go GetJobInfo).
    for (const info of seen.filter((s) => s.state !== 'Completed'))
      expect([info.metadataUri, info.totalBytes]).toEqual(['', 0]);

    const { jobId: restoreJob } = await drGateway.restoreExternalSnapshot({
      metadataUri: done.metadataUri,
      targetDb: DB,
      targetCollection: 'exp_gw_dr',
    });
    expect((await waitForRestore(drGateway, restoreJob)).state).toBe('Completed');
    expect(await drGateway.countRows({ db: DB, collection: 'exp_gw_dr' })).toBe(25);
    const sample = await drGateway.query({ db: DB, collection: 'exp_gw_dr' }, 'id in [1, 25]', [
      'id',
      'title',
    ]);
    expect(sample.map((r) => r.title).sort()).toEqual(['item 1', 'item 25']);
  });

  it('a failing export reports Failed with Milvus reason and no URI; an unknown job is ExportJobNotFound', async () => {
    primary.faults.set({ exportFailAtPercent: 40, exportFailReason: 'copy failed: Access Denied' });
    const { jobId } = await gateway.exportSnapshot({
      ...ref,
      targetPath: 'minio://127.0.0.1:9000/offsite/failing',
    });
    const seen = await waitExport(gateway, jobId);
    expect(seen[seen.length - 1]).toMatchObject({
      state: 'Failed',
      reason: 'copy failed: Access Denied',
      metadataUri: '',
    });
    const unknown = await milvusError(gateway.getExportState('987654321'));
    expectKind(unknown, 'ExportJobNotFound', false);
    expect(unknown.code).toBe(1100);
  });

  it('the same-storage-service rule comes back as UnsupportedStorage; secrets never reach the error', async () => {
    const err = await milvusError(
      gateway.exportSnapshot({
        ...ref,
        targetPath: 'minio://other-minio:9000/offsite/x',
        externalSpec: {
          extfs: { access_key_id: 'AKIAEXAMPLE', access_key_value: SECRET, cloud_provider: 'minio' },
        },
      }),
    );
    expectKind(err, 'UnsupportedStorage', false);
    expect(err.message).not.toContain(SECRET);
    const credentialsInPath = await milvusError(
      gateway.exportSnapshot({ ...ref, targetPath: `s3://AKIAEXAMPLE:${SECRET}@offsite/x` }),
    );
    expectKind(credentialsInPath, 'InvalidArgument', false);
    expect(credentialsInPath.message).not.toContain(SECRET);
    expect(credentialsInPath.message).toMatch(/target path: must not embed credentials/);
  });
});
