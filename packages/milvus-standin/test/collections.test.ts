import { DataType } from '@zilliz/milvus2-sdk-node';
import { MilvusCode } from '../src';
import { createRichCollection, insertRich, runStandin, sdkClient, type Running } from './fixtures';

/** Connection, databases, collections, indexes and load state, through the unmodified SDK over TCP. */
describe('milvus stand-in: connection and collections', () => {
  let run: Running;

  beforeAll(async () => {
    run = await runStandin();
  });
  afterAll(async () => run?.stop());

  it('answers Connect with server info, GetVersion and CheckHealth', async () => {
    const { client, standin } = run;
    expect(standin.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(standin.faults.callCounts().Connect).toBe(1);
    const version = await client.getVersion();
    expect(version.version).toBe('v3.0.0-standin');
    const health = await client.checkHealth();
    expect(health.isHealthy).toBe(true);
  });

  it('lists the default database and creates others, refusing duplicates', async () => {
    const { client } = run;
    expect((await client.listDatabases()).db_names).toEqual(['default']);
    expect((await client.createDatabase({ db_name: 'analytics' })).error_code).toBe('Success');
    expect((await client.listDatabases()).db_names).toEqual(['default', 'analytics']);
    const dup = await client.createDatabase({ db_name: 'analytics' });
    expect(dup.error_code).not.toBe('Success');
    expect(dup.reason).toContain('database already exist');
  });

  it('creates, describes, lists and drops a collection with its schema intact', async () => {
    const { client } = run;
    await createRichCollection(client, 'items', 6);
    expect((await client.hasCollection({ collection_name: 'items' })).value).toBe(true);
    const described = await client.describeCollection({ collection_name: 'items' });
    expect(described.status.code).toBe(0);
    expect(described.collection_name).toBe('items');
    expect(Number(described.shards_num)).toBeGreaterThanOrEqual(1);
    const fields = Object.fromEntries(described.schema.fields.map((f) => [f.name, f]));
    expect(fields.pk?.data_type).toBe('Int64');
    expect(fields.pk?.is_primary_key).toBe(true);
    expect(fields.embedding?.data_type).toBe('FloatVector');
    expect(fields.embedding?.type_params).toEqual(expect.arrayContaining([{ key: 'dim', value: '6' }]));
    expect(fields.label?.type_params).toEqual(expect.arrayContaining([{ key: 'max_length', value: '64' }]));
    expect(described.schema.fields.map((f) => Number(f.fieldID))).toEqual([100, 101, 102, 103, 104, 105]);

    const shown = await client.showCollections();
    expect(shown.data.map((c) => c.name)).toContain('items');

    expect((await client.dropCollection({ collection_name: 'items' })).error_code).toBe('Success');
    expect((await client.hasCollection({ collection_name: 'items' })).value).toBe(false);
    // Milvus drops a missing collection without complaint.
    expect((await client.dropCollection({ collection_name: 'items' })).error_code).toBe('Success');
  });

  it('reports a missing collection with code 100 and Milvus wording', async () => {
    // DescribeCollection rewrites the reason (proxy task.go describeCollectionTask.Execute).
    const res = await run.client.describeCollection({ collection_name: 'ghost' });
    expect(res.status.code).toBe(MilvusCode.CollectionNotFound);
    expect(res.status.error_code).toBe('UnexpectedError');
    expect(res.status.reason).toBe("can't find collection[database=default][collection=ghost]");
    // Other calls pass rootcoord's merr.WrapErrCollectionNotFoundWithDB on.
    const stats = await run.client.getCollectionStatistics({ collection_name: 'ghost' });
    expect(stats.status).toMatchObject({
      code: 100,
      error_code: 'CollectionNotExists',
      reason: 'collection not found[database=default][collection=ghost]',
    });
  });

  it('rejects invalid collection names and schemas with code 1100', async () => {
    const { client } = run;
    // MilvusClient.createCollection throws the failed status itself.
    await expect(
      client.createCollection({
        collection_name: '9lives',
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'v', data_type: DataType.FloatVector, dim: 2 },
        ],
      }),
    ).rejects.toMatchObject({
      code: MilvusCode.ParameterInvalid,
      error_code: 'IllegalArgument',
      reason:
        'Invalid collection name: 9lives.  the first character of a collection name must be an underscore or letter: invalid parameter',
    });
    await expect(
      client.createCollection({
        collection_name: 'twice',
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'v', data_type: DataType.FloatVector, dim: 2 },
          { name: 'v', data_type: DataType.FloatVector, dim: 2 },
        ],
      }),
    ).rejects.toMatchObject({ code: 1100, reason: 'duplicated field name v found: invalid parameter' });
    expect((await client.hasCollection({ collection_name: 'twice' })).value).toBe(false);
  });

  it('creates an existing collection again idempotently, a different one not (create_collection_task.go validateIfCollectionExists)', async () => {
    const { client } = run;
    const schema = (dim: number) => ({
      collection_name: 'same_name',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim },
      ],
    });
    expect((await client.createCollection(schema(2))).code).toBe(0);
    expect((await client.createCollection(schema(2))).code).toBe(0);
    await expect(client.createCollection(schema(3))).rejects.toMatchObject({
      code: MilvusCode.Unexpected,
      reason: 'create duplicate collection with different parameters, collection: same_name',
    });
  });

  it('creates and describes indexes; load needs one, then load state and progress follow', async () => {
    const { client } = run;
    const created = await client.createCollection({
      collection_name: 'unindexed',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      ],
    });
    expect(created.error_code).toBe('Success');
    const noIndex = await client.loadCollectionAsync({ collection_name: 'unindexed' });
    expect(noIndex.code).toBe(MilvusCode.IndexNotFound);
    expect((await client.getLoadState({ collection_name: 'unindexed' })).state).toBe('LoadStateNotLoad');

    const index = await client.createIndex({
      collection_name: 'unindexed',
      field_name: 'v',
      index_type: 'HNSW',
      metric_type: 'L2',
      params: { M: 8, efConstruction: 64 },
    });
    expect(index.error_code).toBe('Success');
    const described = await client.describeIndex({ collection_name: 'unindexed', field_name: 'v' });
    expect(described.index_descriptions).toHaveLength(1);
    const params = Object.fromEntries(
      described.index_descriptions[0]!.params.map((kv) => [kv.key, kv.value]),
    );
    expect(params).toMatchObject({ index_type: 'HNSW', metric_type: 'L2' });
    expect(JSON.parse(String(params.params))).toEqual({ M: 8, efConstruction: 64 });

    await client.loadCollectionSync({ collection_name: 'unindexed' });
    expect((await client.getLoadState({ collection_name: 'unindexed' })).state).toBe('LoadStateLoaded');
    expect(Number((await client.getLoadingProgress({ collection_name: 'unindexed' })).progress)).toBe(100);
    expect((await client.releaseCollection({ collection_name: 'unindexed' })).error_code).toBe('Success');
    expect((await client.getLoadState({ collection_name: 'unindexed' })).state).toBe('LoadStateNotLoad');
  });

  it('counts rows in statistics as row_count, growing and sealed alike', async () => {
    const { client } = run;
    await createRichCollection(client, 'stats_items');
    await insertRich(client, 'stats_items', 0, 7);
    await client.flush({ collection_names: ['stats_items'] });
    await insertRich(client, 'stats_items', 7, 10);
    const stats = await client.getCollectionStatistics({ collection_name: 'stats_items' });
    expect(stats.stats).toEqual([{ key: 'row_count', value: '10' }]);
  });

  it('keeps collections of different databases apart', async () => {
    const { client } = run;
    await client.createDatabase({ db_name: 'other' });
    const otherDb = sdkClient(run.standin, { database: 'other' });
    await createRichCollection(otherDb, 'shared_name', 4);
    await otherDb.closeConnection();
    expect((await client.hasCollection({ collection_name: 'shared_name', db_name: 'other' })).value).toBe(
      true,
    );
    expect((await client.hasCollection({ collection_name: 'shared_name' })).value).toBe(false);
    const missingDb = await client.showCollections({ db_name: 'nope' });
    expect(missingDb.status.code).toBe(MilvusCode.DatabaseNotFound);
    // rootcoord meta_table.go getCollectionByNameInternal: a name in a missing database is not found (100).
    const describeMissingDb = await client.describeCollection({ collection_name: 'x', db_name: 'nope' });
    expect(describeMissingDb.status.code).toBe(MilvusCode.CollectionNotFound);
  });
});
