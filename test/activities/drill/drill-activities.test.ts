import { ApplicationFailure } from '@temporalio/common';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { singleClusterResources } from '../../../src/activities/worker-resources';
import { createDrillActivities } from '../../../src/activities/drill';
import { startStandin, type Standin, seedDemoCollection } from 'milvus-standin';
import type { MilvusGateway } from '../../../src/milvus/gateway';
import { createMilvusGateway } from '../../../src/milvus/sdk-gateway';
import { formatSnapshotDescription } from '../../../src/contracts/snapshot-marker';
import { inActivityContext } from '../../helpers/activity-context';
import { rejectionOf } from '../../helpers/failure';

const db = 'default';

/** The drill's activities called directly against the stand-in over TCP (no Temporal needed for these). */
describe('drill activities against the stand-in', () => {
  let standin: Standin;
  let gateway: MilvusGateway;
  let client: MilvusClient;
  let activities: ReturnType<typeof createDrillActivities>;

  beforeAll(async () => {
    standin = await startStandin({ port: 0 });
    gateway = createMilvusGateway({ address: standin.address });
    client = new MilvusClient({ address: standin.address });
    await client.connectPromise;
    activities = inActivityContext(createDrillActivities(gateway, singleClusterResources(gateway)));
  });

  afterAll(async () => {
    await client?.closeConnection();
    await gateway?.close();
    await standin?.stop();
  });

  beforeEach(() => standin.faults.reset());

  const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, ApplicationFailure);

  /** A collection with a VarChar primary key, so key filters must quote. */
  async function createVarCharCollection(
    name: string,
    rows: { pk: string; vector: number[]; note: string }[],
  ) {
    await client.createCollection({
      collection_name: name,
      fields: [
        { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, max_length: 64 },
        { name: 'vector', data_type: DataType.FloatVector, dim: 2 },
        { name: 'note', data_type: DataType.VarChar, max_length: 64 },
      ],
      index_params: [{ field_name: 'vector', index_type: 'AUTOINDEX', metric_type: 'L2' }],
    });
    await client.insert({ collection_name: name, data: rows });
    await client.flushSync({ collection_names: [name] });
  }

  describe('dropScratchCollection', () => {
    beforeAll(async () => {
      await seedDemoCollection(standin.address, { collection: 'act_source', rows: 20, dim: 4 });
      await gateway.createSnapshot({ db, collection: 'act_source', snapshot: 'act_snap' });
    });

    it('refuses to drop anything that is not a drill scratch collection, the source included', async () => {
      const source = { db, collection: 'act_source' };
      const notScratch = await failureOf(activities.dropScratchCollection({ ...source, source }));
      expect(notScratch.type).toBe('NotAScratchCollection');
      expect(notScratch.nonRetryable).toBe(true);
      expect(await gateway.hasCollection(source)).toBe(true);
    });

    it('waits for a restore job still writing into the scratch collection, then drops it', async () => {
      const scratch = { db, collection: 'drill_scratch_act_source_wait' };
      const { jobId } = await gateway.restoreSnapshot({
        snapshot: 'act_snap',
        sourceDb: db,
        sourceCollection: 'act_source',
        targetDb: db,
        targetCollection: scratch.collection,
      });
      const result = await activities.dropScratchCollection({
        ...scratch,
        source: { db, collection: 'act_source' },
        pollMs: 100,
      });
      expect(result).toEqual({ dropped: true, waitedForJobs: 1 });
      expect(await gateway.hasCollection(scratch)).toBe(false);
      // It ended before the drop, so it cannot bring the collection back.
      expect((await gateway.getRestoreState(jobId)).state).toBe('Completed');
    });

    it('succeeds without dropping when the scratch collection was never created', async () => {
      const result = await activities.dropScratchCollection({
        db,
        collection: 'drill_scratch_never_made',
        source: { db, collection: 'act_source' },
      });
      expect(result).toEqual({ dropped: false, waitedForJobs: 0 });
    });
  });

  describe('compareScratchWithSource', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({
      pk: `key-"${i}"`,
      vector: [i, i / 2],
      note: `n${i}`,
    }));

    beforeAll(async () => {
      await createVarCharCollection('cmp_source', rows);
      // Row 3 altered, row 7 missing: what a bad restore looks like.
      await createVarCharCollection(
        'cmp_scratch',
        rows
          .filter((r) => r.pk !== 'key-"7"')
          .map((r) => (r.pk === 'key-"3"' ? { ...r, note: 'changed' } : r)),
      );
    });

    const refs = { source: { db, collection: 'cmp_source' }, scratch: { db, collection: 'cmp_scratch' } };

    it('compares schema, row count and every sampled row, quoting VarChar keys', async () => {
      const result = await activities.compareScratchWithSource({
        ...refs,
        expectedRowCount: 12,
        sampleSize: 100,
        maxKeysScanned: 1000,
        seed: 'drill:default.cmp_source:1',
      });
      expect(result.equal).toBe(false);
      expect(result.schema.equal).toBe(true);
      expect(result.schema.fields.map((f) => f.name)).toEqual(['pk', 'vector', 'note']);
      expect(result.rowCount).toEqual({ expected: 12, actual: 11, sourceNow: 12, equal: false });
      expect(result.sample).toMatchObject({
        status: 'compared',
        keyField: 'pk',
        keysScanned: 12,
        compared: 12,
      });
      expect(result.sample.differing).toEqual([
        { key: 'key-"3"', problem: 'fields-differ', fields: ['note'] },
        { key: 'key-"7"', problem: 'missing-in-scratch', fields: [] },
      ]);
    });

    it('compares the same keys on a retry (sample seeded by the workflow id)', async () => {
      const input = { ...refs, expectedRowCount: 12, sampleSize: 4, maxKeysScanned: 1000, seed: 'drill:x' };
      const [a, b] = [
        await activities.compareScratchWithSource(input),
        await activities.compareScratchWithSource(input),
      ];
      expect(a.sample.compared).toBe(4);
      expect(a.sample.differing).toEqual(b.sample.differing);
    });

    it('does not compare rows when the source no longer matches the snapshot, and says why', async () => {
      const result = await activities.compareScratchWithSource({
        ...refs,
        expectedRowCount: 11,
        sampleSize: 100,
        maxKeysScanned: 1000,
        seed: 's',
      });
      expect(result.sample.status).toBe('skipped');
      expect(result.sample.skippedReason).toBe(
        'the source now has 12 rows, the snapshot recorded 11: it changed since, so its rows are no reference',
      );
      expect(result.rowCount.equal).toBe(true);
    });
  });

  describe('findLatestVerifiedSnapshot', () => {
    it('takes the newest snapshot whose marker records its row count, skipping foreign ones', async () => {
      await seedDemoCollection(standin.address, { collection: 'latest_src', rows: 10, dim: 4 });
      const ref = { db, collection: 'latest_src' };
      const none = await failureOf(activities.findLatestVerifiedSnapshot(ref));
      expect(none.type).toBe('NoVerifiedSnapshot');

      const marked = formatSnapshotDescription('nightly', { rows: 10, flushed: true });
      // create_ts is the channel checkpoint, which only a flush moves: flush between the snapshots.
      await gateway.createSnapshot({ ...ref, snapshot: 'latest_old', description: marked });
      await gateway.flush(ref);
      await gateway.createSnapshot({ ...ref, snapshot: 'latest_new', description: marked });
      await gateway.flush(ref);
      await gateway.createSnapshot({ ...ref, snapshot: 'latest_foreign', description: 'made by hand' });

      const latest = await activities.findLatestVerifiedSnapshot(ref);
      expect(latest).toMatchObject({
        snapshot: 'latest_new',
        rowCount: 10,
        flushed: true,
        considered: 3,
        qualified: 2,
      });
    });
  });
});
