import { DataType, promisify } from '@zilliz/milvus2-sdk-node';
import { MilvusCode } from '../src';
import { runStandin, sleep, waitForRestore, type Running } from './fixtures';

const row = (i: number) => ({ id: i, v: [i / 10, 1, 0, (i % 3) / 3] });

/**
 * Partitions (rootcoord create/drop partition tasks, snapshot partition_names) and aliases /
 * RenameCollection (rootcoord meta_table.go) through the Node SDK.
 */
describe('milvus stand-in: partitions and aliases', () => {
  let run: Running;

  async function create(name: string, extra: Record<string, unknown> = {}): Promise<void> {
    const res = await run.client.createCollection({
      collection_name: name,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
      ],
      index_params: [{ field_name: 'v', index_type: 'AUTOINDEX', metric_type: 'L2' }],
      ...extra,
    });
    expect(res.error_code).toBe('Success');
  }
  const count = async (collection: string, partitions?: string[]) => {
    const res = await run.client.query({
      collection_name: collection,
      filter: 'id >= 0',
      output_fields: ['count(*)'],
      ...(partitions ? { partition_names: partitions } : {}),
    });
    return Number(res.data[0]?.['count(*)']);
  };

  beforeAll(async () => {
    run = await runStandin({ faults: { restoreDurationMs: 200 } });
  });
  afterAll(async () => run?.stop());

  it('creates, lists, loads and drops partitions; rows stay in their partition', async () => {
    await create('parts');
    for (const p of ['p1', 'p2'])
      await run.client.createPartition({ collection_name: 'parts', partition_name: p });
    // rootcoord createPartitionTask: an existing partition is accepted again
    expect((await run.client.createPartition({ collection_name: 'parts', partition_name: 'p1' })).code).toBe(
      0,
    );
    const shown = await run.client.listPartitions({ collection_name: 'parts' });
    expect(shown.partition_names).toEqual(['_default', 'p1', 'p2']);
    expect((await run.client.hasPartition({ collection_name: 'parts', partition_name: 'p2' })).value).toBe(
      true,
    );

    await run.client.insert({ collection_name: 'parts', partition_name: 'p1', data: [row(1), row(2)] });
    await run.client.insert({ collection_name: 'parts', partition_name: 'p2', data: [row(3)] });
    await run.client.insert({ collection_name: 'parts', data: [row(4)] });
    await run.client.loadCollection({ collection_name: 'parts' });
    expect(await count('parts', ['p1'])).toBe(2);
    expect(await count('parts', ['p2', '_default'])).toBe(2);
    expect(await count('parts')).toBe(4);

    const loaded = await run.client.dropPartition({ collection_name: 'parts', partition_name: 'p2' });
    expect(loaded.code).toBe(1100);
    expect(loaded.reason).toContain('partition is loaded, please release it first');
    const dflt = await run.client.dropPartition({ collection_name: 'parts', partition_name: '_default' });
    expect(dflt.reason).toBe('default partition cannot be deleted: invalid parameter');
    await run.client.releaseCollection({ collection_name: 'parts' });
    expect((await run.client.dropPartition({ collection_name: 'parts', partition_name: 'p2' })).code).toBe(0);
    await run.client.loadCollection({ collection_name: 'parts' });
    expect(await count('parts')).toBe(3);

    const missing = await run.client.insert({
      collection_name: 'parts',
      partition_name: 'nope',
      data: [row(9)],
    });
    expect(missing.status.code).toBe(MilvusCode.PartitionNotFound);
    expect(missing.status.reason).toBe('partition not found[partition=nope]');
  });

  it('snapshots record the partitions; restore recreates them with their rows', async () => {
    await run.client.flush({ collection_names: ['parts'] });
    await sleep(250);
    await run.client.createSnapshot({ collection_name: 'parts', snapshot_name: 'parts_snap' });
    const info = await run.client.describeSnapshot({ collection_name: 'parts', snapshot_name: 'parts_snap' });
    expect(info.partition_names).toEqual(['_default', 'p1']);
    const restore = await run.client.restoreSnapshot({
      source_collection_name: 'parts',
      snapshot_name: 'parts_snap',
      target_collection_name: 'parts_restored',
    });
    const done = await waitForRestore(run.client, String(restore.job_id));
    expect(done.state).toBe('RestoreSnapshotCompleted');
    expect((await run.client.listPartitions({ collection_name: 'parts_restored' })).partition_names).toEqual([
      '_default',
      'p1',
    ]);
    await run.client.loadCollection({ collection_name: 'parts_restored' });
    expect(await count('parts_restored', ['p1'])).toBe(2);
    expect(await count('parts_restored', ['_default'])).toBe(1);
  });

  it('a partition-key collection gets _default_0.._default_{n-1} and refuses a named partition', async () => {
    const res = await run.client.createCollection({
      collection_name: 'pkey',
      num_partitions: 4,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
        { name: 'cat', data_type: DataType.Int64, is_partition_key: true },
      ],
    });
    expect(res.error_code).toBe('Success');
    expect((await run.client.listPartitions({ collection_name: 'pkey' })).partition_names).toEqual([
      '_default_0',
      '_default_1',
      '_default_2',
      '_default_3',
    ]);
    const named = await run.client.insert({
      collection_name: 'pkey',
      partition_name: '_default_1',
      data: [{ ...row(1), cat: 1 }],
    });
    expect(named.status.reason).toContain('partition key mode');
  });

  it('aliases resolve to their collection, move with AlterAlias and conflict with names', async () => {
    await create('alias_a');
    await create('alias_b');
    await run.client.insert({ collection_name: 'alias_a', data: [row(1)] });
    await run.client.insert({ collection_name: 'alias_b', data: [row(1), row(2)] });
    await run.client.loadCollection({ collection_name: 'alias_a' });
    await run.client.loadCollection({ collection_name: 'alias_b' });

    expect((await run.client.createAlias({ collection_name: 'alias_a', alias: 'current' })).code).toBe(0);
    expect(await count('current')).toBe(1);
    expect((await run.client.describeAlias({ collection_name: 'any', alias: 'current' })).collection).toBe(
      'alias_a',
    );
    expect((await run.client.listAliases({ collection_name: 'alias_a' })).aliases).toEqual(['current']);
    const described = await run.client.describeCollection({ collection_name: 'current' });
    expect(described.collection_name).toBe('alias_a');
    expect(described.aliases).toEqual(['current']);

    const taken = await run.client.createAlias({ collection_name: 'alias_b', alias: 'current' });
    expect(taken.code).toBe(1602);
    expect(taken.reason).toBe(
      'current is alias to another collection: alias_a: alias already exist[database=default][alias=current]',
    );
    const clash = await run.client.createAlias({ collection_name: 'alias_a', alias: 'alias_b' });
    expect(clash.code).toBe(1601);
    expect(clash.reason).toBe('alias and collection name conflict[database=default][alias=alias_b]');

    expect((await run.client.alterAlias({ collection_name: 'alias_b', alias: 'current' })).code).toBe(0);
    expect(await count('current')).toBe(2);
    const unknown = await run.client.alterAlias({ collection_name: 'alias_b', alias: 'ghost' });
    expect(unknown.code).toBe(1600);
    expect(unknown.reason).toBe('alias not found[database=default][alias=ghost]');

    // rootcoord: a collection with aliases cannot be dropped, nor dropped through an alias
    const viaAlias = await run.client.dropCollection({ collection_name: 'current' });
    expect(viaAlias.reason).toBe('cannot drop the collection via alias = current');
    const withAlias = await run.client.dropCollection({ collection_name: 'alias_b' });
    expect(withAlias.reason).toContain('because it has associated aliases [current]');
  });

  it('refuses a new collection or restore target named like an alias (validateIfCollectionExists)', async () => {
    await run.client.flush({ collection_names: ['alias_a'] });
    await sleep(250);
    await run.client.createSnapshot({ collection_name: 'alias_a', snapshot_name: 'a_snap' });
    const restore = await run.client.restoreSnapshot({
      source_collection_name: 'alias_a',
      snapshot_name: 'a_snap',
      target_collection_name: 'current',
    });
    expect(restore.status.code).toBe(65535);
    expect(restore.status.reason).toBe(
      'failed to restore collection: collection name [current] conflicts with an existing alias, please choose a unique name',
    );
    // The SDK's createCollection throws the refusal instead of returning it.
    await expect(
      run.client.createCollection({
        collection_name: 'current',
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'v', data_type: DataType.FloatVector, dim: 4 },
        ],
      }),
    ).rejects.toMatchObject({ code: 65535 });
  });

  it('renames a collection; its aliases follow it and the old name is gone', async () => {
    const res = await run.client.renameCollection({
      collection_name: 'alias_b',
      new_collection_name: 'alias_c',
    });
    expect(res.code).toBe(0);
    expect((await run.client.describeAlias({ collection_name: 'any', alias: 'current' })).collection).toBe(
      'alias_c',
    );
    expect((await run.client.hasCollection({ collection_name: 'alias_b' })).value).toBe(false);
    const dup = await run.client.renameCollection({
      collection_name: 'alias_c',
      new_collection_name: 'alias_a',
    });
    expect(dup.reason).toBe(
      'duplicated new collection name default:alias_a with other collection name or alias',
    );
    expect((await run.client.dropAlias({ alias: 'current' })).code).toBe(0);
    expect((await run.client.dropCollection({ collection_name: 'alias_c' })).code).toBe(0);
  });

  it('drops databases as rootcoord does and allocates timestamps', async () => {
    await run.client.createDatabase({ db_name: 'scratch' });
    expect((await run.client.dropDatabase({ db_name: 'scratch' })).code).toBe(0);
    expect((await run.client.listDatabases()).db_names).toEqual(['default']);
    const dflt = await run.client.dropDatabase({ db_name: 'default' });
    expect(dflt.reason).toBe('can not drop default database');
    // The Node SDK has no allocTimestamp; call the raw RPC through its gRPC channel pool.
    const ts = (await promisify(
      (run.client as unknown as { channelPool: Parameters<typeof promisify>[0] }).channelPool,
      'AllocTimestamp',
      {},
      5000,
    )) as { status: { code: number }; timestamp: string };
    expect(ts.status.code).toBe(0);
    expect(BigInt(ts.timestamp) >> 18n).toBeGreaterThan(BigInt(Date.now() - 60_000));
  });
});
