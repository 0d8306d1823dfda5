import { DataType, FunctionType } from '@zilliz/milvus2-sdk-node';
import { runStandin, type Running } from './fixtures';

/**
 * Dynamic fields, arrays and JSON paths through the Node SDK: the proxy appends `$meta`
 * (create_collection_task.go appendDynamicField), hides it from DescribeCollection, serves dynamic
 * keys by name (util.go translateOutputFields) and filters on them as `$meta["key"]`.
 */
describe('milvus stand-in: dynamic fields and arrays (Node SDK)', () => {
  let run: Running;

  beforeAll(async () => {
    run = await runStandin();
    const res = await run.client.createCollection({
      collection_name: 'dyn',
      enable_dynamic_field: true,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
        {
          name: 'tags',
          data_type: DataType.Array,
          element_type: DataType.VarChar,
          max_capacity: 4,
          max_length: 8,
        },
      ],
      index_params: [{ field_name: 'v', index_type: 'AUTOINDEX', metric_type: 'L2' }],
    });
    expect(res.error_code).toBe('Success');
    const rows = Array.from({ length: 6 }, (_, i) => ({
      id: i,
      v: [i, 1],
      tags: [`t${i}`, i % 2 ? 'odd' : 'even'],
      color: i % 2 ? 'red' : 'blue',
      info: { level: i },
    }));
    expect((await run.client.insert({ collection_name: 'dyn', data: rows })).status.code).toBe(0);
    await run.client.loadCollection({ collection_name: 'dyn' });
  });
  afterAll(async () => run?.stop());

  it('describes the schema without $meta but with enable_dynamic_field', async () => {
    const d = await run.client.describeCollection({ collection_name: 'dyn' });
    expect(d.schema.enable_dynamic_field).toBe(true);
    expect(d.schema.fields.map((f) => f.name)).toEqual(['id', 'v', 'tags']);
  });

  it('returns dynamic keys by name and filters on them, on JSON paths and arrays', async () => {
    const res = await run.client.query({
      collection_name: 'dyn',
      filter: 'color == "red" and info["level"] >= 3 and array_contains(tags, "odd")',
      output_fields: ['id', 'color', 'tags'],
    });
    expect(res.status.code).toBe(0);
    // The Node SDK's query keeps dynamic keys under `$meta` (it names rows by fields_data).
    expect(res.data.map((r) => [Number(r.id), (r.$meta as { color: string }).color, r.tags])).toEqual([
      [3, 'red', ['t3', 'odd']],
      [5, 'red', ['t5', 'odd']],
    ]);
  });

  it('refuses an array longer than max_capacity (validate_util.go)', async () => {
    const res = await run.client.insert({
      collection_name: 'dyn',
      data: [{ id: 9, v: [0, 0], tags: ['a', 'b', 'c', 'd', 'e'] }],
    });
    expect(res.status.code).toBe(1100);
    expect(res.status.reason).toBe(
      'the length (5) of 0th array exceeds max capacity (4): invalid parameter[expected=valid length array][actual=array length exceeds max capacity]',
    );
  });

  it('search returns dynamic keys too', async () => {
    const res = await run.client.search({
      collection_name: 'dyn',
      data: [[4, 1]],
      limit: 2,
      output_fields: ['color'],
    });
    expect(res.status.code).toBe(0);
    expect(
      (res.results as unknown as { id: string; color: string }[]).map((h) => [Number(h.id), h.color]),
    ).toEqual([
      [4, 'blue'],
      [3, 'red'],
    ]);
  });

  it('refuses schema functions with 3000 instead of dropping them silently', async () => {
    await expect(
      run.client.createCollection({
        collection_name: 'bm25',
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'text', data_type: DataType.VarChar, max_length: 64, enable_analyzer: true },
          { name: 'sparse', data_type: DataType.SparseFloatVector },
        ],
        functions: [
          {
            name: 'bm25',
            type: FunctionType.BM25,
            input_field_names: ['text'],
            output_field_names: ['sparse'],
            params: {},
          },
        ],
      }),
    ).rejects.toMatchObject({ code: 3000 });
  });
});
