import { startStandin, type Standin } from 'milvus-standin';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';
import { expectKind, milvusError, seedCollection, waitForRestore } from '../helpers/gateway';

/**
 * The gateway's DR calls (issue 13) against the stand-in over TCP: pins with expiry, and
 * RestoreExternalSnapshot over the carried proto with the gateway's own connection settings
 * (token, database header), as an ordinary restore job.
 */

const DB = 'default';
const TOKEN = 'root:Milvus';
const SECRET = 'AKIAEXAMPLESECRET42';

describe('SdkMilvusGateway: pins and RestoreExternalSnapshot', () => {
  let standin: Standin;
  let gateway: MilvusGateway;

  beforeAll(async () => {
    standin = await startStandin({ port: 0, token: TOKEN, faults: { restoreDurationMs: 300 } });
    gateway = createMilvusGateway({ address: standin.address, token: TOKEN, db: DB, timeoutMs: 5_000 });
  });
  afterEach(() => standin.faults.reset());
  afterAll(async () => {
    await gateway?.close();
    await standin?.stop();
  });

  async function collectionWithSnapshot(collection: string, rows: number) {
    await seedCollection(standin.address, collection, rows, TOKEN);
    const ref = { db: DB, collection, snapshot: `${collection}_snap` };
    await gateway.createSnapshot(ref);
    return ref;
  }

  it('pinSnapshot answers the pin id, its TTL and when it lapses (never later than the server: taken before the call)', async () => {
    const ref = await collectionWithSnapshot('dr_pins', 5);
    const before = Date.now();
    const timed = await gateway.pinSnapshot(ref, 3600);
    const after = Date.now();
    expect(timed.pinId).toMatch(/^\d+$/);
    expect(timed.ttlSeconds).toBe(3600);
    expect(timed.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(timed.expiresAt).toBeLessThanOrEqual(after + 3_600_000);
    const forever = await gateway.pinSnapshot(ref, 0);
    expect(forever).toMatchObject({ ttlSeconds: 0, expiresAt: null });
    // task_snapshot.go pinSnapshotDataTask: at most 30 days.
    const tooLong = await milvusError(gateway.pinSnapshot(ref, 30 * 24 * 3600 + 1));
    expectKind(tooLong, 'InvalidArgument', false);
    expect(tooLong.code).toBe(1100);
    await gateway.unpinSnapshot(timed.pinId);
    await gateway.unpinSnapshot(forever.pinId);
  });

  it('recovers a dropped collection from its pinned snapshot by metadata URI: a restore job like any other', async () => {
    const ref = await collectionWithSnapshot('dr_dropped', 30);
    const { s3Location } = await gateway.describeSnapshot(ref);
    expect(s3Location).toMatch(/^minio:\/\/.+\/snapshots\/\d+\/metadata\/\d+\.json$/);
    const { pinId } = await gateway.pinSnapshot(ref, 0);
    await gateway.dropCollection({ db: DB, collection: 'dr_dropped' });
    expectKind(await milvusError(gateway.describeSnapshot(ref)), 'CollectionNotFound', false);

    const { jobId } = await gateway.restoreExternalSnapshot({
      metadataUri: s3Location,
      targetDb: DB,
      targetCollection: 'dr_recovered',
    });
    const listed = await gateway.listRestoreJobs({ db: DB, collection: 'dr_recovered' });
    expect(listed.map((j) => j.jobId)).toEqual([jobId]);
    const done = await waitForRestore(gateway, jobId);
    expect(done).toMatchObject({
      state: 'Completed',
      snapshot: ref.snapshot,
      db: DB,
      collection: 'dr_recovered',
    });
    expect(await gateway.countRows({ db: DB, collection: 'dr_recovered' })).toBe(30);

    // Once unpinned, GC collects the orphan: the URI leads nowhere (SnapshotNotFound, not retryable).
    await gateway.unpinSnapshot(pinId);
    const gone = await milvusError(
      gateway.restoreExternalSnapshot({
        metadataUri: s3Location,
        targetDb: DB,
        targetCollection: 'dr_again',
      }),
    );
    expectKind(gone, 'SnapshotNotFound', false);
    expect(gone.code).toBe(1000);
  });

  it('refuses bad input before any RPC, naming the field and the rule and never a spec value', async () => {
    const before = standin.faults.callCounts().RestoreExternalSnapshot ?? 0;
    const base = { targetDb: DB, targetCollection: 'dr_bad' };
    const anchorless = await milvusError(
      gateway.restoreExternalSnapshot({
        ...base,
        metadataUri: 'minio://127.0.0.1:9000/a-bucket/files/x.json',
      }),
    );
    expectKind(anchorless, 'InvalidArgument', false);
    expect(anchorless.message).toMatch(
      /metadata URI.*snapshots\/\{collectionID\}\/metadata\/\{snapshotID\}\.json/,
    );
    const badSpec = await milvusError(
      gateway.restoreExternalSnapshot({
        ...base,
        metadataUri: 'files/snapshots/1/metadata/2.json',
        externalSpec: { extfs: { access_key_id: SECRET, use_ssl: true as unknown as string } },
      }),
    );
    expectKind(badSpec, 'InvalidArgument', false);
    expect(badSpec.message).toMatch(/extfs\.use_ssl: must be a string/);
    expect(badSpec.message).not.toContain(SECRET);
    const unknownKey = await milvusError(
      gateway.restoreExternalSnapshot({
        ...base,
        metadataUri: 'files/snapshots/1/metadata/2.json',
        externalSpec: { extfs: {}, format: 'x' } as never,
      }),
    );
    expect(unknownKey.message).toMatch(/unknown key 'format'/);
    expect(standin.faults.callCounts().RestoreExternalSnapshot ?? 0).toBe(before);
  });

  it("keeps the spec's secrets out of Milvus's reasons: redacted in the error", async () => {
    standin.faults.failNext('RestoreExternalSnapshot', {
      code: 65535,
      reason: `failed to read external snapshot data: Access Denied for ${SECRET}`,
    });
    const err = await milvusError(
      gateway.restoreExternalSnapshot({
        metadataUri: 'minio://127.0.0.1:9000/backup/x/snapshots/1/metadata/2.json',
        targetDb: DB,
        targetCollection: 'dr_secret',
        externalSpec: {
          extfs: { access_key_id: SECRET, access_key_value: 'very-secret-value', cloud_provider: 'minio' },
        },
      }),
    );
    expect(err.message).toContain('Access Denied for <redacted>');
    expect(err.message).not.toContain(SECRET);
    expect(String(err.stack)).not.toContain(SECRET);
  });

  it('an existing target is refused (Milvus 1100 from validateRestoreTargetAbsent, AlreadyExists), target untouched', async () => {
    const ref = await collectionWithSnapshot('dr_exists', 4);
    const { s3Location } = await gateway.describeSnapshot(ref);
    const err = await milvusError(
      gateway.restoreExternalSnapshot({
        metadataUri: s3Location,
        targetDb: DB,
        targetCollection: 'dr_exists',
      }),
    );
    expectKind(err, 'AlreadyExists', false);
    expect(err.code).toBe(1100);
    expect(err.message).toContain('target collection dr_exists already exists in database default');
    expect(await gateway.countRows({ db: DB, collection: 'dr_exists' })).toBe(4);
  });

  it('uses the same credentials as the SDK connection: a wrong token is refused', async () => {
    const wrong = createMilvusGateway({ address: standin.address, token: 'root:wrong', timeoutMs: 5_000 });
    try {
      const err = await milvusError(
        wrong.restoreExternalSnapshot({
          metadataUri: 'files/snapshots/1/metadata/2.json',
          targetDb: DB,
          targetCollection: 'dr_wrong',
        }),
      );
      expectKind(err, 'Unauthenticated', false);
    } finally {
      await wrong.close();
    }
  });
});
