import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startStandin, type Standin } from 'milvus-standin';
import { MilvusError } from '../../src/milvus/errors';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';
import { DIM, expectKind, milvusError, seedCollection, totalCalls, waitForRestore } from '../helpers/gateway';

/**
 * The gateway against the real stand-in over TCP through the unmodified SDK: every method's
 * success path, and how failures come back (typed, retryable or not, named, before any RPC).
 */

const DB = 'default';
const SOURCE = 'gw_items';
const ROWS = 40;

describe('SdkMilvusGateway against the stand-in', () => {
  let standin: Standin;
  let gateway: MilvusGateway;
  let seededFrom: number;

  beforeAll(async () => {
    standin = await startStandin({ port: 0, faults: { restoreDurationMs: 300 } });
    seededFrom = Date.now();
    await seedCollection(standin.address, SOURCE, ROWS);
    gateway = createMilvusGateway({ address: standin.address, timeoutMs: 5_000 });
  });

  afterEach(() => standin.faults.reset());

  afterAll(async () => {
    await gateway?.close();
    await standin?.stop();
  });

  describe('health and collections', () => {
    it('checkHealth reports healthy and the server version', async () => {
      const health = await gateway.checkHealth();
      expect(health.healthy).toBe(true);
      expect(health.version).toMatch(/^v\d+\.\d+/);
    });

    it('hasCollection: true for a collection, false for a missing one', async () => {
      await expect(gateway.hasCollection({ db: DB, collection: SOURCE })).resolves.toBe(true);
      await expect(gateway.hasCollection({ db: DB, collection: 'gw_absent' })).resolves.toBe(false);
    });

    it('hasCollection does not hide an outage as "absent"', async () => {
      standin.faults.unavailableNext(1, ['DescribeCollection']);
      expectKind(
        await milvusError(gateway.hasCollection({ db: DB, collection: SOURCE })),
        'Unavailable',
        true,
      );
    });

    it('describeCollection returns the schema', async () => {
      const info = await gateway.describeCollection({ db: DB, collection: SOURCE });
      expect(info).toMatchObject({ db: DB, collection: SOURCE });
      expect(info.shardsNum).toBeGreaterThanOrEqual(1);
      const byName = Object.fromEntries(info.fields.map((f) => [f.name, f]));
      expect(byName.id).toMatchObject({ dataType: 'Int64', isPrimaryKey: true, autoId: false });
      expect(byName.vector).toMatchObject({ dataType: 'FloatVector', isPrimaryKey: false });
      expect(byName.vector.typeParams.dim).toBe(String(DIM));
      expect(byName.title).toMatchObject({ dataType: 'VarChar' });
      expect(byName.title.typeParams.max_length).toBe('64');
    });

    it('describeCollection of a missing collection is CollectionNotFound, naming it', async () => {
      const err = await milvusError(gateway.describeCollection({ db: DB, collection: 'gw_absent' }));
      expectKind(err, 'CollectionNotFound', false);
      expect(err.code).toBe(100);
      expect(err.message).toContain('gw_absent');
      expect(err.message).toContain('describeCollection');
    });

    it('listCollections lists the database', async () => {
      expect(await gateway.listCollections(DB)).toContain(SOURCE);
    });

    it('counts rows with count(*) and from statistics', async () => {
      await expect(gateway.countRows({ db: DB, collection: SOURCE })).resolves.toBe(ROWS);
      await expect(gateway.statisticsRowCount({ db: DB, collection: SOURCE })).resolves.toBe(ROWS);
    });

    it('countRows loads a collection that is not loaded yet', async () => {
      await seedCollection(standin.address, 'gw_unloaded', 5);
      const client = new MilvusClient({
        address: standin.address,
        __SKIP_CONNECT__: true,
        telemetry: { enabled: false },
      });
      await client.releaseCollection({ collection_name: 'gw_unloaded' });
      await client.closeConnection();
      const before = standin.faults.callCounts().LoadCollection ?? 0;
      await expect(gateway.countRows({ db: DB, collection: 'gw_unloaded' })).resolves.toBe(5);
      expect(standin.faults.callCounts().LoadCollection).toBe(before + 1);
    });

    it('query returns the requested fields, filtered and limited', async () => {
      const rows = await gateway.query({ db: DB, collection: SOURCE }, 'id > 30', ['id', 'title'], 5);
      expect(rows).toHaveLength(5);
      for (const row of rows) {
        expect(Number(row.id)).toBeGreaterThan(30);
        expect(row.title).toBe(`item ${row.id}`);
      }
    });

    it('query with a bad filter is InvalidArgument with Milvus reason', async () => {
      const err = await milvusError(gateway.query({ db: DB, collection: SOURCE }, 'nope >', ['id'], 1));
      expectKind(err, 'InvalidArgument', false);
      expect(err.message).toContain('cannot parse expression');
    });

    it('loadCollection succeeds on a loaded collection', async () => {
      await expect(gateway.loadCollection({ db: DB, collection: SOURCE })).resolves.toBeUndefined();
    });
  });

  describe('flush', () => {
    it('flush returns sealed segments and a flush timestamp that becomes flushed', async () => {
      const client = new MilvusClient({
        address: standin.address,
        __SKIP_CONNECT__: true,
        telemetry: { enabled: false },
      });
      await client.insert({
        collection_name: SOURCE,
        data: [{ id: 1000, title: 'late', vector: Array(DIM).fill(0.5) }],
      });
      await client.closeConnection();
      const flush = await gateway.flush({ db: DB, collection: SOURCE });
      expect(flush.segmentIds.length).toBeGreaterThan(0);
      flush.segmentIds.forEach((id) => expect(id).toMatch(/^\d+$/));
      expect(flush.flushTs).toMatch(/^\d+$/);
      const deadline = Date.now() + 10_000;
      while (!(await gateway.isFlushed({ db: DB, collection: SOURCE }, flush))) {
        if (Date.now() > deadline) throw new Error('flush never completed');
        await new Promise((r) => setTimeout(r, 50));
      }
      await expect(gateway.countRows({ db: DB, collection: SOURCE })).resolves.toBe(ROWS + 1);
    });

    it('isFlushed rejects a malformed flush timestamp before any RPC', async () => {
      const before = standin.faults.callCounts();
      const err = await milvusError(
        gateway.isFlushed({ db: DB, collection: SOURCE }, { segmentIds: [], flushTs: 'soon' }),
      );
      expectKind(err, 'InvalidArgument', false);
      expect(err.message).toContain('flush timestamp');
      expect(standin.faults.callCounts()).toEqual(before);
    });
  });

  describe('snapshots and restore', () => {
    const snap = { db: DB, collection: SOURCE, snapshot: 'gw_daily_20260101' };

    it('create, list, describe (create_ts in epoch ms, a lower bound: the last flush), pin, unpin, drop', async () => {
      await gateway.createSnapshot({ ...snap, description: 'nightly', compactionProtectionSeconds: 60 });
      const after = Date.now();
      expect(await gateway.listSnapshots({ db: DB, collection: SOURCE })).toContain(snap.snapshot);

      const info = await gateway.describeSnapshot(snap);
      expect(info).toMatchObject({ name: snap.snapshot, db: DB, collection: SOURCE, description: 'nightly' });
      // The minimum channel checkpoint: the seeding's flush, earlier than the call (handler.go GenSnapshot).
      expect(info.createTs).toBeGreaterThanOrEqual(seededFrom);
      expect(info.createTs).toBeLessThanOrEqual(after);
      expect(Array.isArray(info.partitionNames)).toBe(true);

      const { pinId } = await gateway.pinSnapshot(snap, 600);
      expect(pinId).toMatch(/^\d+$/);
      const pinned = await milvusError(gateway.dropSnapshot(snap));
      expectKind(pinned, 'SnapshotPinned', false);
      expect(pinned.code).toBe(2601);
      await gateway.unpinSnapshot(pinId);

      await gateway.dropSnapshot(snap);
      expect(await gateway.listSnapshots({ db: DB, collection: SOURCE })).not.toContain(snap.snapshot);
    });

    it('creating an existing snapshot is AlreadyExists, not retryable', async () => {
      const dup = { ...snap, snapshot: 'gw_dup' };
      await gateway.createSnapshot(dup);
      const err = await milvusError(gateway.createSnapshot(dup));
      expectKind(err, 'AlreadyExists', false);
      expect(err.message).toContain('already exists');
      await gateway.dropSnapshot(dup);
    });

    it('a missing snapshot is SnapshotNotFound naming the snapshot, not retryable', async () => {
      const err = await milvusError(gateway.describeSnapshot({ ...snap, snapshot: 'gw_never_made' }));
      expectKind(err, 'SnapshotNotFound', false);
      expect(err.snapshot).toBe('gw_never_made');
      expect(err.message).toContain('snapshot "gw_never_made"');
      expect(err.message).toContain('snapshot not found');
      expect(err.name).toBe('NonRetryableMilvusError');
    });

    it('a collection without sealed segments snapshots fine (empty snapshot, as Milvus 3.0)', async () => {
      const client = new MilvusClient({
        address: standin.address,
        __SKIP_CONNECT__: true,
        telemetry: { enabled: false },
      });
      await client.createCollection({
        collection_name: 'gw_empty',
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
          { name: 'vector', data_type: DataType.FloatVector, dim: DIM },
        ],
      });
      await client.closeConnection();
      const empty = { db: DB, collection: 'gw_empty', snapshot: 'gw_none' };
      await gateway.createSnapshot(empty);
      expect(await gateway.listSnapshots(empty)).toEqual(['gw_none']);
      await gateway.dropCollection({ db: DB, collection: 'gw_empty' });
      await expect(gateway.hasCollection({ db: DB, collection: 'gw_empty' })).resolves.toBe(false);
    });

    it('restores into a new collection and tracks the job to Completed', async () => {
      const source = { ...snap, snapshot: 'gw_for_restore' };
      await gateway.createSnapshot(source);
      const startedBefore = Date.now();
      const { jobId } = await gateway.restoreSnapshot({
        snapshot: source.snapshot,
        sourceDb: DB,
        sourceCollection: SOURCE,
        targetDb: DB,
        targetCollection: 'gw_restored',
      });
      expect(jobId).toMatch(/^\d+$/);

      const done = await waitForRestore(gateway, jobId);
      expect(done).toMatchObject({
        jobId,
        snapshot: source.snapshot,
        db: DB,
        collection: 'gw_restored',
        state: 'Completed',
        progress: 100,
        reason: '',
      });
      expect(done.startTime).toBeGreaterThanOrEqual(startedBefore - 1_000);
      expect(done.startTime).toBeLessThanOrEqual(Date.now());
      expect(done.timeCostMs).toBeGreaterThan(0);

      const jobs = await gateway.listRestoreJobs({ db: DB, collection: 'gw_restored' });
      expect(jobs.map((j) => j.jobId)).toEqual([jobId]);
      expect((await gateway.listRestoreJobs()).map((j) => j.jobId)).toContain(jobId);

      await gateway.loadCollection({ db: DB, collection: 'gw_restored' });
      const restored = await gateway.countRows({ db: DB, collection: 'gw_restored' });
      expect(restored).toBe(await gateway.countRows({ db: DB, collection: SOURCE }));

      const taken = await milvusError(
        gateway.restoreSnapshot({
          snapshot: source.snapshot,
          sourceDb: DB,
          sourceCollection: SOURCE,
          targetDb: DB,
          targetCollection: 'gw_restored',
        }),
      );
      expectKind(taken, 'AlreadyExists', false);

      await gateway.dropCollection({ db: DB, collection: 'gw_restored' });
      await gateway.dropSnapshot(source);
    });

    it('an unknown restore job is RestoreJobNotFound', async () => {
      const err = await milvusError(gateway.getRestoreState('424242'));
      expectKind(err, 'RestoreJobNotFound', false);
      expect(err.message).toContain('424242');
    });
  });

  describe('failures', () => {
    it('gRPC UNAVAILABLE is a retryable Unavailable after exactly one call (no hidden SDK retries)', async () => {
      const before = standin.faults.callCounts().ListSnapshots ?? 0;
      standin.faults.unavailableNext(1, ['ListSnapshots']);
      const err = await milvusError(gateway.listSnapshots({ db: DB, collection: SOURCE }));
      expectKind(err, 'Unavailable', true);
      expect(err.name).toBe('RetryableMilvusError');
      expect(err.message).toContain('listSnapshots');
      expect(err.message).toContain(SOURCE);
      expect(standin.faults.callCounts().ListSnapshots).toBe(before + 1);
      // The outage is over: the same call now succeeds.
      await expect(gateway.listSnapshots({ db: DB, collection: SOURCE })).resolves.toEqual(expect.any(Array));
    });

    it.each([
      [2, 'service unavailable', 'Unavailable', true],
      [8, 'rate limit exceeded[rate=1]', 'RateLimited', true],
      [1, 'service not ready', 'NotReady', true],
      [100, `collection not found[collection=${SOURCE}]`, 'CollectionNotFound', false],
      [1401, 'privilege not permitted', 'PermissionDenied', false],
    ] as const)('Milvus status code %d (%s) becomes %s', async (code, reason, kind, retryable) => {
      standin.faults.failNext('DescribeSnapshot', { code, reason });
      const err = await milvusError(
        gateway.describeSnapshot({ db: DB, collection: SOURCE, snapshot: 'gw_any' }),
      );
      expectKind(err, kind, retryable);
      expect(err.code).toBe(code);
      expect(err.message).toContain(reason);
      expect(err).toMatchObject({
        operation: 'describeSnapshot',
        db: DB,
        collection: SOURCE,
        snapshot: 'gw_any',
      });
    });

    it('a slow server is a retryable DeadlineExceeded', async () => {
      const impatient = createMilvusGateway({ address: standin.address, timeoutMs: 200 });
      standin.faults.set({ latencyByMethod: { ListSnapshots: 1_000 } });
      try {
        expectKind(
          await milvusError(impatient.listSnapshots({ db: DB, collection: SOURCE })),
          'DeadlineExceeded',
          true,
        );
      } finally {
        await impatient.close();
      }
    });

    it('an unreachable server is a retryable Unavailable', async () => {
      const nowhere = createMilvusGateway({ address: '127.0.0.1:1', timeoutMs: 2_000 });
      try {
        expectKind(await milvusError(nowhere.checkHealth()), 'Unavailable', true);
      } finally {
        await nowhere.close();
      }
    });

    it('invalid names are rejected before any RPC, naming the field and the rule', async () => {
      const bad = 'bad-name';
      const ok = { db: DB, collection: SOURCE };
      const calls: [string, () => Promise<unknown>, string][] = [
        ['hasCollection', () => gateway.hasCollection({ db: DB, collection: bad }), 'collection name'],
        [
          'describeCollection',
          () => gateway.describeCollection({ db: '1db', collection: SOURCE }),
          'database name',
        ],
        ['dropCollection', () => gateway.dropCollection({ db: DB, collection: '' }), 'collection name'],
        ['listCollections', () => gateway.listCollections('my db'), 'database name'],
        ['loadCollection', () => gateway.loadCollection({ db: DB, collection: bad }), 'collection name'],
        ['countRows', () => gateway.countRows({ db: DB, collection: 'x'.repeat(256) }), 'collection name'],
        [
          'statisticsRowCount',
          () => gateway.statisticsRowCount({ db: DB, collection: bad }),
          'collection name',
        ],
        ['query', () => gateway.query({ db: DB, collection: bad }, 'id > 0', ['id']), 'collection name'],
        ['flush', () => gateway.flush({ db: DB, collection: bad }), 'collection name'],
        [
          'isFlushed',
          () => gateway.isFlushed({ db: DB, collection: bad }, { segmentIds: [], flushTs: '1' }),
          'collection name',
        ],
        [
          'createSnapshot',
          () => gateway.createSnapshot({ ...ok, snapshot: 'daily backup' }),
          'snapshot name',
        ],
        ['describeSnapshot', () => gateway.describeSnapshot({ ...ok, snapshot: bad }), 'snapshot name'],
        ['listSnapshots', () => gateway.listSnapshots({ db: bad, collection: SOURCE }), 'database name'],
        ['dropSnapshot', () => gateway.dropSnapshot({ ...ok, snapshot: '../etc' }), 'snapshot name'],
        ['pinSnapshot', () => gateway.pinSnapshot({ ...ok, snapshot: bad }, 60), 'snapshot name'],
        [
          'restoreSnapshot',
          () =>
            gateway.restoreSnapshot({
              snapshot: 'gw_ok',
              sourceDb: DB,
              sourceCollection: SOURCE,
              targetDb: DB,
              targetCollection: 'restored-copy',
            }),
          'target collection name',
        ],
        ['listRestoreJobs', () => gateway.listRestoreJobs({ collection: bad }), 'collection name'],
      ];
      const before = standin.faults.callCounts();
      for (const [operation, call, field] of calls) {
        const err = await milvusError(call());
        expectKind(err, 'InvalidName', false);
        expect(err.operation).toBe(operation);
        expect(err.message).toContain(`invalid ${field}`);
        expect(err.message).toMatch(/must (start with a letter|not be empty|be at most 255)/);
      }
      expect(standin.faults.callCounts()).toEqual(before);
    });

    it('invalid arguments (ids, ttl, limit) are rejected before any RPC', async () => {
      const before = totalCalls(standin.faults.callCounts());
      const snapRef = { db: DB, collection: SOURCE, snapshot: 'gw_x' };
      expectKind(await milvusError(gateway.getRestoreState('job-1')), 'InvalidArgument', false);
      expectKind(await milvusError(gateway.unpinSnapshot('-5')), 'InvalidArgument', false);
      expectKind(await milvusError(gateway.pinSnapshot(snapRef, -1)), 'InvalidArgument', false);
      expectKind(
        await milvusError(gateway.query({ db: DB, collection: SOURCE }, '', ['id'], 0)),
        'InvalidArgument',
        false,
      );
      expectKind(
        await milvusError(gateway.createSnapshot({ ...snapRef, compactionProtectionSeconds: 1.5 })),
        'InvalidArgument',
        false,
      );
      expect(totalCalls(standin.faults.callCounts())).toBe(before);
    });
  });

  describe('authentication', () => {
    const TOKEN = 'root:Milvus';
    let secured: Standin;

    beforeAll(async () => {
      secured = await startStandin({ port: 0, token: TOKEN });
    });
    afterAll(async () => {
      await secured?.stop();
    });

    it('the right token is accepted', async () => {
      const authed = createMilvusGateway({ address: secured.address, token: TOKEN });
      try {
        await expect(authed.listCollections(DB)).resolves.toEqual([]);
      } finally {
        await authed.close();
      }
    });

    it.each([
      ['a wrong password', 'root:wrong-password'],
      ['a wrong API key', 'not-the-api-key'],
      ['no token', undefined],
    ])('%s is a non-retryable Unauthenticated that does not echo the token', async (_label, token) => {
      const wrong = createMilvusGateway({ address: secured.address, token });
      try {
        const err = await milvusError(wrong.listCollections(DB));
        expectKind(err, 'Unauthenticated', false);
        if (token) expect(err.message).not.toContain(token);
      } finally {
        await wrong.close();
      }
    });
  });
});
