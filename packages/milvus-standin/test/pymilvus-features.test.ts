import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandin, type Standin } from '../src';

const PYTHON = join(__dirname, '..', '..', '..', '.tools', 'venv', 'bin', 'python');
type Observed = Record<string, any>;

/**
 * Steps of Milvus's own snapshot tests (tests/python_client/milvus_client/
 * test_milvus_client_snapshot.py), run by the unmodified pymilvus 3.0.2 against the stand-in;
 * each key is the upstream case it follows (see pymilvus-features.py), with upstream's expectations.
 */
describe('milvus stand-in: upstream snapshot cases through pymilvus', () => {
  let standin: Standin;
  let out: Observed;

  beforeAll(async () => {
    standin = await startStandin({ port: 0, faults: { restoreDurationMs: 300 } });
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [join(__dirname, 'pymilvus-features.py'), standin.address],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    out = JSON.parse(stdout.trim().split('\n').pop() as string) as Observed;
  }, 300_000);
  afterAll(async () => standin?.stop());

  it('accepts a 20,000-row 128-dim insert (proxy grpc serverMaxRecvSize 64 MiB)', () => {
    expect(out.test_snapshot_insert_20000_rows).toEqual({ inserted: 20000, count: 20000 });
  });

  it('test_snapshot_with_multiple_partitions: partitions and per-partition rows survive restore', () => {
    expect(out.test_snapshot_with_multiple_partitions).toEqual({
      partitions: ['_default', 'partition_0', 'partition_1', 'partition_2'],
      counts: [100, 100, 100],
    });
  });

  it('test_snapshot_restore_after_drop_partition: the dropped partition comes back with its rows', () => {
    expect(out.test_snapshot_restore_after_drop_partition).toEqual({
      sourcePartitions: ['_default'],
      partitions: ['_default', 'test_partition'],
      count: 100,
    });
  });

  it('test_snapshot_after_upsert: dynamic keys of the quick-setup schema are kept and filterable', () => {
    expect(out.test_snapshot_after_upsert).toEqual({
      count: 150,
      '25': { id: 25, float: 25, varchar: 'original_25' },
      '75': { id: 75, float: 750, varchar: 'updated_75' },
      '125': { id: 125, float: 1250, varchar: 'updated_125' },
      byDynamicKey: 100,
    });
  });

  it('test_snapshot_with_dynamic_field: $meta is served by key and hidden from describe', () => {
    expect(out.test_snapshot_with_dynamic_field).toEqual({
      row: { id: 50, dynamic_str: 'dynamic_50', dynamic_int: 5000, dynamic_float: 25, dynamic_bool: true },
      count: 100,
      fields: ['id', 'vector'],
      filtered: 10,
    });
  });

  it('test_snapshot_with_varchar_pk: like with prefix, suffix and infix patterns', () => {
    expect(out.test_snapshot_with_varchar_pk).toEqual({ like: 100, suffix: 10, infix: 11 });
  });

  it('test_snapshot_with_all_array_element_types: arrays round-trip and array_contains filters', () => {
    const arrays = out.test_snapshot_with_all_array_element_types;
    expect(arrays.row.arr_int32).toEqual([500, 501, 502, 503, 504]);
    expect(arrays.row.arr_int64).toEqual([5000, 5001, 5002, 5003, 5004]);
    expect(arrays.row.arr_bool).toEqual([true, false, true, false, true]);
    expect(arrays.row.arr_varchar).toEqual(['s_5_0', 's_5_1', 's_5_2', 's_5_3', 's_5_4']);
    expect(arrays.row.arr_double[1]).toBeCloseTo(5 * 1.1 + 0.11, 10);
    expect(arrays.contains).toBe(1);
    expect(arrays.containsAny).toBe(2);
  });

  it('test_snapshot_with_all_vector_types: float, binary, float16 and sparse vectors restore and search', () => {
    expect(out.test_snapshot_with_all_vector_types).toEqual({
      count: 100,
      hits: 10,
      sparseTop: 7,
      sparseKept: true,
      binaryKept: true,
    });
  });

  it('test_snapshot_with_bfloat16_vector: bfloat16 search finds the row itself at distance 0', () => {
    expect(out.test_snapshot_with_bfloat16_vector).toEqual({
      count: 100,
      hits: 10,
      nearest: 42,
      distance: 0,
    });
  });

  it('test_snapshot_search_recall_consistency: same exact results before and after restore', () => {
    const recall = out.test_snapshot_search_recall_consistency;
    expect(recall.original).toHaveLength(10);
    expect(recall.restored).toEqual(recall.original);
    expect(recall.original).toEqual(recall.exact);
  });

  it('test_snapshot_with_num_shards: shard count is reported and restored', () => {
    expect(out.test_snapshot_with_num_shards).toEqual({ source: 4, restored: 4 });
  });

  it('test_snapshot_with_partition_key: 16 partitions, the key flag and all rows restored', () => {
    expect(out.test_snapshot_with_partition_key).toEqual({
      isPartitionKey: [true],
      partitions: 16,
      count: 500,
    });
  });

  it('test_snapshot_after_reindex: each snapshot restores its own index and searches', () => {
    expect(out.test_snapshot_after_reindex).toEqual({
      reindex_hnsw: { hits: 10, index: 'HNSW' },
      reindex_ivf: { hits: 10, index: 'IVF_FLAT' },
    });
  });

  it('test_snapshot_after_compact: compaction completes and deleted rows stay gone', () => {
    expect(out.test_snapshot_after_compact).toEqual({ state: 'Completed', count: 700, deleted: 0 });
  });

  it('several JSON-path indexes on one JSON field restore, and JSON paths filter', () => {
    expect(out.test_snapshot_with_json_path_indexes).toEqual({
      indexes: ['meta_key', 'meta_number', 'vector'],
      number: 10,
      nested: 10,
      key: 11,
    });
  });

  it('test_snapshot_create_via_alias / list_via_alias / alter_alias / drop_alias_then_create', () => {
    expect(out.test_snapshot_alias_cases).toEqual({
      describedCollection: 'alias_src_a',
      viaAlias: ['via_alias_a'],
      afterAlter: ['via_alias_b'],
      droppedAlias: { code: 100, message: 'collection not found[database=default][collection=snap_alias]' },
    });
  });

  it('test_snapshot_rename_source_collection: the old name is gone, the new name lists the snapshot', () => {
    expect(out.test_snapshot_rename_source_collection).toEqual({
      oldName: { code: 100 },
      newName: ['rename_snap'],
      count: 300,
    });
  });

  it('test_snapshot_restore_cross_database: restore into another database; drop_database rules', () => {
    expect(out.test_snapshot_restore_cross_database).toEqual({
      listed: ['xdb_restored'],
      count: 200,
      notEmpty: 'database:xdb_target not empty, must drop all collections before drop database',
      databases: ['default'],
    });
  });
});
