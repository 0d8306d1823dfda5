import { DataType } from '@zilliz/milvus2-sdk-node';
import { MilvusCode } from '../src';
import { createRichCollection, insertRich, richRow, runStandin, sleep, type Running } from './fixtures';

const ids = (rows: Record<string, unknown>[]) => rows.map((r) => Number(r.pk));
/** The SDK types IDs as a union; the wire has one of int_id / str_id set. */
const idsOf = (res: { IDs: unknown }) =>
  res.IDs as { int_id?: { data: (string | number)[] }; str_id?: { data: string[] } };
/** Flush response fields the SDK's FlushResult type leaves out. */
type RawFlush = {
  coll_segIDs: Record<string, { data: string[] }>;
  flush_coll_segIDs: Record<string, { data: string[] }>;
  coll_seal_times: Record<string, string>;
  coll_flush_ts: Record<string, string>;
};

/** Insert, query, delete, upsert and flush through the SDK, checked against the rows inserted. */
describe('milvus stand-in: data', () => {
  let run: Running;
  const C = 'data_items';

  beforeAll(async () => {
    run = await runStandin();
    await createRichCollection(run.client, C);
    await insertRich(run.client, C, 0, 20);
  });
  afterAll(async () => run?.stop());

  async function pks(filter: string, extra: Record<string, unknown> = {}): Promise<number[]> {
    const res = await run.client.query({ collection_name: C, filter, output_fields: ['pk'], ...extra });
    expect(res.status.code).toBe(0);
    return ids(res.data);
  }

  it('returns insert counts and the inserted primary keys', async () => {
    const res = await run.client.insert({ collection_name: C, data: [richRow(100), richRow(101)] });
    expect(res.status.error_code).toBe('Success');
    expect(Number(res.insert_cnt)).toBe(2);
    expect(idsOf(res).int_id?.data.map(Number)).toEqual([100, 101]);
    await run.client.delete({ collection_name: C, ids: [100, 101] });
  });

  it('counts with count(*), with and without a filter', async () => {
    expect((await run.client.count({ collection_name: C })).data).toBe(20);
    expect((await run.client.count({ collection_name: C, filter: 'pk < 5' })).data).toBe(5);
  });

  it('filters on the primary key with in, ==, !=, ranges, and/&&, or, not in', async () => {
    expect(await pks('pk in [3, 1, 7]')).toEqual([1, 3, 7]);
    expect(await pks('pk == 4')).toEqual([4]);
    expect(await pks('pk > 16')).toEqual([17, 18, 19]);
    expect(await pks('pk >= 18')).toEqual([18, 19]);
    expect(await pks('pk < 2')).toEqual([0, 1]);
    expect(await pks('pk <= 1')).toEqual([0, 1]);
    expect((await pks('pk != 0')).length).toBe(19);
    expect(await pks('pk > 2 and pk < 5')).toEqual([3, 4]);
    expect(await pks('pk > 2 && pk < 5')).toEqual([3, 4]);
    expect(await pks('pk == 1 or pk == 19')).toEqual([1, 19]);
    expect(await pks('(pk < 2 || pk > 18) and active == true')).toEqual([0]);
    expect((await pks('pk not in [0, 1, 2]')).length).toBe(17);
  });

  it('filters on scalar fields and pages an empty filter with limit and offset', async () => {
    expect(await pks('label == "label-5"')).toEqual([5]);
    expect(await pks("label in ['label-2', 'label-9']")).toEqual([2, 9]);
    expect(await pks('score >= 4.5')).toEqual([18, 19]);
    expect(await pks('', { limit: 3 })).toEqual([0, 1, 2]);
    expect(await pks('', { limit: 3, offset: 5 })).toEqual([5, 6, 7]);
  });

  it('rejects an empty filter without a limit and a malformed filter, as Milvus does', async () => {
    const empty = await run.client.query({ collection_name: C, filter: '', output_fields: ['pk'] });
    expect(empty.status.code).toBe(MilvusCode.ParameterInvalid);
    expect(empty.status.reason).toContain('empty expression should be used with limit');
    const broken = await run.client.query({
      collection_name: C,
      filter: 'pk in [1, 2',
      output_fields: ['pk'],
    });
    expect(broken.status.code).toBe(1100);
    expect(broken.status.reason).toContain('cannot parse expression');
    const unknown = await run.client.query({
      collection_name: C,
      filter: 'nope == 1',
      output_fields: ['pk'],
    });
    expect(unknown.status.code).toBe(1100);
    const window = await run.client.query({
      collection_name: C,
      filter: '',
      limit: 16000,
      offset: 1000,
      output_fields: ['pk'],
    });
    expect(window.status.reason).toBe(
      'invalid max query result window, (offset+limit) should be in range [1, 16384], but got 17000: invalid parameter',
    );
  });

  it('returns vectors and every scalar type as inserted, decoded by the SDK', async () => {
    const res = await run.client.query({ collection_name: C, filter: 'pk in [6, 7]', output_fields: ['*'] });
    expect(res.data).toHaveLength(2);
    for (const row of res.data) {
      const expected = richRow(Number(row.pk));
      expect(row.embedding).toEqual(expected.embedding);
      expect(row.label).toBe(expected.label);
      expect(row.score).toBeCloseTo(expected.score, 6);
      expect(row.active).toBe(expected.active);
      expect(row.meta).toEqual(expected.meta);
    }
    // Int64 comes back as a decimal string, as from real Milvus through this SDK.
    expect(res.data.map((r) => r.pk)).toEqual(['6', '7']);
    const some = await run.client.query({ collection_name: C, filter: 'pk == 6', output_fields: ['label'] });
    expect(Object.keys(some.data[0]!).sort()).toEqual(['label', 'pk']);
  });

  it('deletes by expression and by ids, and upserts by primary key', async () => {
    const deleted = await run.client.delete({ collection_name: C, filter: 'pk in [10, 11]' });
    expect(Number(deleted.delete_cnt)).toBe(2);
    await run.client.delete({ collection_name: C, ids: [12] });
    expect(await pks('pk >= 10 and pk <= 12')).toEqual([]);

    const upserted = await run.client.upsert({
      collection_name: C,
      data: [{ ...richRow(13), label: 'changed' }],
    });
    expect(Number(upserted.upsert_cnt)).toBe(1);
    const row = await run.client.query({ collection_name: C, filter: 'pk == 13', output_fields: ['label'] });
    expect(row.data).toEqual([{ pk: '13', label: 'changed' }]);
    expect((await run.client.count({ collection_name: C })).data).toBe(17);
  });

  it('queries an unloaded collection with code 101, as Milvus does', async () => {
    await run.client.releaseCollection({ collection_name: C });
    const res = await run.client.query({ collection_name: C, filter: 'pk == 1', output_fields: ['pk'] });
    expect(res.status.code).toBe(MilvusCode.CollectionNotLoaded);
    // proxy queryTask.Execute: "failed to query: " + querycoordv2's not-loaded error naming the id.
    const { collectionID } = await run.client.describeCollection({ collection_name: C });
    expect(res.status.reason).toBe(`failed to query: collection not loaded[collection=${collectionID}]`);
    await run.client.loadCollectionSync({ collection_name: C });
  });

  it('seals growing rows on flush, reports the segment, and finishes the flush shortly after', async () => {
    const name = 'flush_items';
    await createRichCollection(run.client, name);
    await insertRich(run.client, name, 0, 5);
    const flushRes = await run.client.flush({ collection_names: [name] });
    expect(flushRes.status.code).toBe(0);
    const flushedAt = Date.now();
    const flush = flushRes as unknown as RawFlush;
    const sealed = flush.coll_segIDs[name]!.data;
    expect(sealed).toHaveLength(1);
    const flushTs = flush.coll_flush_ts[name]!;
    expect(BigInt(flushTs) >> 18n).toBeGreaterThan(BigInt(Date.now() - 60_000));
    expect(Number(flush.coll_seal_times[name])).toBeGreaterThan(0);

    const early = await run.client.getFlushState({ segmentIDs: sealed as unknown as number[] });
    // The flush completes ~200 ms after the call; only a check made well inside that window is meaningful.
    if (Date.now() - flushedAt < 100) expect(early.flushed).toBe(false);
    await sleep(300);
    expect((await run.client.getFlushState({ segmentIDs: sealed as unknown as number[] })).flushed).toBe(
      true,
    );
    expect(
      (await run.client.getFlushState({ collection_name: name, flush_ts: flushTs as unknown as number }))
        .flushed,
    ).toBe(true);

    // Nothing growing: the next flush seals nothing and is already flushed.
    const again = (await run.client.flush({ collection_names: [name] })) as unknown as RawFlush;
    expect(again.coll_segIDs[name]!.data).toEqual([]);
    expect(again.flush_coll_segIDs[name]!.data).toEqual(sealed);
    const sync = await run.client.flushSync({ collection_names: [name] });
    expect(sync.flushed).toBe(true);
  });

  it('fills autoID keys and handles VarChar primary keys', async () => {
    const created = await run.client.createCollection({
      collection_name: 'auto_items',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      ],
      index_params: [{ field_name: 'v', index_type: 'AUTOINDEX', metric_type: 'L2' }],
    });
    expect(created.error_code).toBe('Success');
    const inserted = await run.client.insert({
      collection_name: 'auto_items',
      data: [{ v: [1, 2] }, { v: [3, 4] }],
    });
    const autoIds = idsOf(inserted).int_id!.data.map(String);
    expect(new Set(autoIds).size).toBe(2);
    const back = await run.client.query({
      collection_name: 'auto_items',
      filter: `id in [${autoIds.join(',')}]`,
      output_fields: ['v'],
    });
    expect(back.data.map((r) => r.v)).toEqual([
      [1, 2],
      [3, 4],
    ]);

    await run.client.createCollection({
      collection_name: 'str_items',
      fields: [
        { name: 'key', data_type: DataType.VarChar, is_primary_key: true, max_length: 16 },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      ],
      index_params: [{ field_name: 'v', index_type: 'AUTOINDEX', metric_type: 'L2' }],
    });
    const strInsert = await run.client.insert({
      collection_name: 'str_items',
      data: [
        { key: 'a', v: [0, 1] },
        { key: 'b', v: [1, 0] },
      ],
    });
    expect(idsOf(strInsert).str_id?.data).toEqual(['a', 'b']);
    const got = await run.client.get({ collection_name: 'str_items', ids: ['b'], output_fields: ['v'] });
    expect(got.data).toEqual([{ key: 'b', v: [1, 0] }]);
  });

  it('rejects rows whose vectors have the wrong dimension', async () => {
    const res = await run.client.insert({
      collection_name: C,
      data: [{ ...richRow(50), embedding: [1, 2, 3] }],
    });
    expect(res.status.code).toBe(MilvusCode.ParameterInvalid);
    expect(res.status.reason).toContain('schema dim (4)');
  });
});
