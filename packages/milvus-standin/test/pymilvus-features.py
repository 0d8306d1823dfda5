"""Runs steps of Milvus's own snapshot tests (tests/python_client/milvus_client/
test_milvus_client_snapshot.py in milvus-io/milvus) that use partitions, dynamic/array/vector
fields, search, aliases, rename, shards, compaction, re-indexing and databases, with the
unmodified pymilvus MilvusClient, collections created exactly as upstream creates them.
Prints one JSON object: case name -> observations (or {"error": ...}).

Usage: python pymilvus-features.py <host:port>
"""
import json
import sys
import time

import numpy as np
from ml_dtypes import bfloat16
from pymilvus import DataType, MilvusClient

DIM = 128
client = MilvusClient(uri=f"http://{sys.argv[1]}")
out = {}


def case(fn):
    try:
        out[fn.__name__] = fn()
    except Exception as err:  # reported, the TypeScript side asserts on it
        out[fn.__name__] = {"error": f"{type(err).__name__}: {err}"}
    return fn


def restore(snapshot, source, target):
    job = client.restore_snapshot(
        snapshot_name=snapshot, source_collection_name=source, target_collection_name=target
    )
    for _ in range(300):
        state = client.get_restore_snapshot_state(job_id=job)
        if state.state in ("RestoreSnapshotCompleted", "RestoreSnapshotFailed"):
            assert state.state == "RestoreSnapshotCompleted", state.reason
            return job
        time.sleep(0.05)
    raise TimeoutError(f"restore {job} did not finish")


def count(name, flt="id >= 0", **kwargs):
    return client.query(name, filter=flt, output_fields=["count(*)"], **kwargs)[0]["count(*)"]


def vectors(rng, n):
    return [list(rng.random(DIM)) for _ in range(n)]


def schema_collection(name, fields, indexes, dynamic=False, **kwargs):
    schema = client.create_schema(enable_dynamic_field=dynamic, auto_id=False)
    for field_name, dtype, params in fields:
        schema.add_field(field_name, dtype, **params)
    index_params = client.prepare_index_params()
    for field_name, params in indexes:
        index_params.add_index(field_name, **params)
    client.create_collection(name, schema=schema, index_params=index_params, **kwargs)


@case
def test_snapshot_insert_20000_rows():
    # 20,000 x 128-dim rows are ~20 MB on the wire: above gRPC's 4 MiB default, below the proxy's 64 MiB.
    client.create_collection("big_insert", DIM)
    rng = np.random.default_rng(seed=19530)
    rows = [{"id": i, "vector": list(rng.random(DIM))} for i in range(20000)]
    return {"inserted": client.insert("big_insert", rows)["insert_count"], "count": count("big_insert")}


@case
def test_snapshot_with_multiple_partitions():
    client.create_collection("multi_parts", DIM)
    names = [f"partition_{i}" for i in range(3)]
    rng = np.random.default_rng(seed=19530)
    for p in names:
        client.create_partition("multi_parts", p)
        rows = [{"id": i + names.index(p) * 100, "vector": list(rng.random(DIM))} for i in range(100)]
        client.insert("multi_parts", rows, partition_name=p)
    client.flush("multi_parts")
    client.create_snapshot(snapshot_name="mp_snap", collection_name="multi_parts")
    restore("mp_snap", "multi_parts", "multi_parts_restored")
    client.load_collection("multi_parts_restored")
    return {
        "partitions": client.list_partitions("multi_parts_restored"),
        "counts": [count("multi_parts_restored", partition_names=[p]) for p in names],
    }


@case
def test_snapshot_restore_after_drop_partition():
    client.create_collection("drop_part", DIM)
    client.create_partition("drop_part", "test_partition")
    rng = np.random.default_rng(seed=19530)
    client.insert("drop_part", [{"id": i, "vector": list(rng.random(DIM))} for i in range(100)],
                  partition_name="test_partition")
    client.flush("drop_part")
    client.create_snapshot(snapshot_name="dp_snap", collection_name="drop_part")
    client.release_collection("drop_part")
    client.drop_partition("drop_part", "test_partition")
    restore("dp_snap", "drop_part", "drop_part_restored")
    client.load_collection("drop_part_restored")
    return {
        "sourcePartitions": client.list_partitions("drop_part"),
        "partitions": client.list_partitions("drop_part_restored"),
        "count": count("drop_part_restored", partition_names=["test_partition"]),
    }


@case
def test_snapshot_after_upsert():
    # quick setup: the float and varchar keys are dynamic fields ($meta)
    client.create_collection("upserted", DIM)
    rng = np.random.default_rng(seed=19530)
    client.insert("upserted", [{"id": i, "vector": list(rng.random(DIM)), "float": float(i),
                                "varchar": f"original_{i}"} for i in range(100)])
    client.flush("upserted")
    client.upsert("upserted", [{"id": i, "vector": list(rng.random(DIM)), "float": float(i * 10),
                                "varchar": f"updated_{i}"} for i in range(50, 150)])
    client.flush("upserted")
    client.create_snapshot(snapshot_name="up_snap", collection_name="upserted")
    restore("up_snap", "upserted", "upserted_restored")
    client.load_collection("upserted_restored")
    pick = lambda i: client.query("upserted_restored", filter=f"id == {i}", output_fields=["float", "varchar"])[0]
    return {"count": count("upserted_restored"), "25": pick(25), "75": pick(75), "125": pick(125),
            "byDynamicKey": count("upserted_restored", 'varchar like "updated_%"')}


@case
def test_snapshot_with_dynamic_field():
    schema_collection("dyn", [("id", DataType.INT64, {"is_primary": True}),
                              ("vector", DataType.FLOAT_VECTOR, {"dim": DIM})],
                      [("vector", {"metric_type": "COSINE"})], dynamic=True)
    rng = np.random.default_rng(seed=19530)
    client.insert("dyn", [{"id": i, "vector": list(rng.random(DIM)), "dynamic_str": f"dynamic_{i}",
                           "dynamic_int": i * 100, "dynamic_float": float(i * 0.5),
                           "dynamic_bool": i % 2 == 0} for i in range(100)])
    client.flush("dyn")
    client.create_snapshot(snapshot_name="dyn_snap", collection_name="dyn")
    restore("dyn_snap", "dyn", "dyn_restored")
    client.load_collection("dyn_restored")
    row = client.query("dyn_restored", filter="id == 50",
                       output_fields=["id", "dynamic_str", "dynamic_int", "dynamic_float", "dynamic_bool"])[0]
    fields = [f["name"] for f in client.describe_collection("dyn_restored")["fields"]]
    return {"row": row, "count": count("dyn_restored"), "fields": fields,
            "filtered": count("dyn_restored", "dynamic_int >= 9000")}


@case
def test_snapshot_with_varchar_pk():
    schema_collection("vpk", [("pk", DataType.VARCHAR, {"is_primary": True, "max_length": 64}),
                              ("vector", DataType.FLOAT_VECTOR, {"dim": DIM})],
                      [("vector", {"metric_type": "COSINE"})])
    rng = np.random.default_rng(seed=19530)
    client.insert("vpk", [{"pk": f"key_{i}", "vector": list(rng.random(DIM))} for i in range(100)])
    client.flush("vpk")
    client.create_snapshot(snapshot_name="vpk_snap", collection_name="vpk")
    restore("vpk_snap", "vpk", "vpk_restored")
    client.load_collection("vpk_restored")
    return {"like": len(client.query("vpk_restored", filter="pk like 'key_%'", output_fields=["pk"])),
            "suffix": len(client.query("vpk_restored", filter="pk like '%_9'", output_fields=["pk"])),
            "infix": len(client.query("vpk_restored", filter="pk like '%y_5%'", output_fields=["pk"]))}


@case
def test_snapshot_with_all_array_element_types():
    kinds = [("arr_int8", DataType.INT8), ("arr_int16", DataType.INT16), ("arr_int32", DataType.INT32),
             ("arr_int64", DataType.INT64), ("arr_float", DataType.FLOAT), ("arr_double", DataType.DOUBLE),
             ("arr_bool", DataType.BOOL)]
    fields = [("id", DataType.INT64, {"is_primary": True}), ("vector", DataType.FLOAT_VECTOR, {"dim": DIM})]
    fields += [(n, DataType.ARRAY, {"element_type": t, "max_capacity": 20}) for n, t in kinds]
    fields.append(("arr_varchar", DataType.ARRAY,
                   {"element_type": DataType.VARCHAR, "max_length": 100, "max_capacity": 20}))
    schema_collection("arrays", fields, [("vector", {"metric_type": "COSINE"})])
    rng = np.random.default_rng(seed=19530)
    client.insert("arrays", [{
        "id": i, "vector": list(rng.random(DIM)),
        "arr_int8": [j for j in range(5)], "arr_int16": [i * 10 + j for j in range(5)],
        "arr_int32": [i * 100 + j for j in range(5)], "arr_int64": [i * 1000 + j for j in range(5)],
        "arr_float": [float(i * 0.1 + j * 0.01) for j in range(5)],
        "arr_double": [float(i * 1.1 + j * 0.11) for j in range(5)],
        "arr_bool": [j % 2 == 0 for j in range(5)], "arr_varchar": [f"s_{i}_{j}" for j in range(5)],
    } for i in range(100)])
    client.flush("arrays")
    client.create_snapshot(snapshot_name="arr_snap", collection_name="arrays")
    restore("arr_snap", "arrays", "arrays_restored")
    client.load_collection("arrays_restored")
    row = client.query("arrays_restored", filter="id == 5",
                       output_fields=["arr_int32", "arr_int64", "arr_bool", "arr_varchar", "arr_double"])[0]
    return {"row": row, "contains": count("arrays_restored", "array_contains(arr_int64, 5003)"),
            "containsAny": count("arrays_restored", 'array_contains_any(arr_varchar, ["s_1_0", "s_2_4"])')}


@case
def test_snapshot_with_all_vector_types():
    schema_collection("vecs", [
        ("id", DataType.INT64, {"is_primary": True}),
        ("float_vector", DataType.FLOAT_VECTOR, {"dim": DIM}),
        ("binary_vector", DataType.BINARY_VECTOR, {"dim": 128}),
        ("float16_vector", DataType.FLOAT16_VECTOR, {"dim": DIM}),
        ("sparse_vector", DataType.SPARSE_FLOAT_VECTOR, {}),
    ], [("float_vector", {"metric_type": "COSINE"}), ("binary_vector", {"metric_type": "HAMMING"}),
        ("float16_vector", {"metric_type": "L2"}),
        ("sparse_vector", {"metric_type": "IP", "index_type": "SPARSE_INVERTED_INDEX"})])
    rng = np.random.default_rng(seed=19530)
    rows = []
    for i in range(100):
        rows.append({
            "id": i, "float_vector": list(rng.random(DIM)),
            "binary_vector": bytes(rng.integers(0, 256, size=16, dtype=np.uint8)),
            "float16_vector": np.array(rng.random(DIM), dtype=np.float16).tobytes(),
            "sparse_vector": {int(j): float(rng.random()) for j in rng.choice(1000, size=10, replace=False)},
        })
    client.insert("vecs", rows)
    client.flush("vecs")
    client.create_snapshot(snapshot_name="vecs_snap", collection_name="vecs")
    restore("vecs_snap", "vecs", "vecs_restored")
    client.load_collection("vecs_restored")
    hits = client.search("vecs_restored", [list(rng.random(DIM))], anns_field="float_vector", limit=10,
                         output_fields=["id"])
    own = client.search("vecs_restored", [rows[7]["sparse_vector"]], anns_field="sparse_vector", limit=1)
    got = client.query("vecs_restored", filter="id == 7", output_fields=["sparse_vector", "binary_vector"])[0]
    return {"count": count("vecs_restored"), "hits": len(hits[0]), "sparseTop": own[0][0]["id"],
            "sparseKept": sorted(int(k) for k in got["sparse_vector"]) == sorted(rows[7]["sparse_vector"]),
            "binaryKept": bytes(got["binary_vector"][0]) == rows[7]["binary_vector"]}


@case
def test_snapshot_with_bfloat16_vector():
    schema_collection("bf16", [("id", DataType.INT64, {"is_primary": True}),
                               ("float_vector", DataType.FLOAT_VECTOR, {"dim": DIM}),
                               ("bfloat16_vector", DataType.BFLOAT16_VECTOR, {"dim": DIM})],
                      [("float_vector", {"metric_type": "COSINE"}), ("bfloat16_vector", {"metric_type": "L2"})])
    rng = np.random.default_rng(seed=19530)
    rows = [{"id": i, "float_vector": list(rng.random(DIM)),
             "bfloat16_vector": np.array(rng.random(DIM), dtype=bfloat16)} for i in range(100)]
    client.insert("bf16", rows)
    client.flush("bf16")
    client.create_snapshot(snapshot_name="bf16_snap", collection_name="bf16")
    restore("bf16_snap", "bf16", "bf16_restored")
    client.load_collection("bf16_restored")
    res = client.search("bf16_restored", [rows[42]["bfloat16_vector"]], anns_field="bfloat16_vector", limit=10,
                        output_fields=["id"])
    return {"count": count("bf16_restored"), "hits": len(res[0]), "nearest": res[0][0]["id"],
            "distance": res[0][0]["distance"]}


@case
def test_snapshot_search_recall_consistency():
    client.create_collection("recall", DIM)
    rng = np.random.default_rng(seed=19530)
    data = vectors(rng, 1000)
    client.insert("recall", [{"id": i, "vector": data[i]} for i in range(1000)])
    client.flush("recall")
    client.load_collection("recall")
    queries = vectors(rng, 10)
    original = client.search("recall", queries, limit=10, output_fields=["id"])
    client.create_snapshot(snapshot_name="recall_snap", collection_name="recall")
    restore("recall_snap", "recall", "recall_restored")
    client.load_collection("recall_restored")
    restored = client.search("recall_restored", queries, limit=10, output_fields=["id"])
    # what an exact COSINE search must answer, computed here
    m = np.array(data, dtype=np.float32)
    q = np.array(queries, dtype=np.float32)
    sims = (q @ m.T) / np.outer(np.linalg.norm(q, axis=1), np.linalg.norm(m, axis=1))
    exact = [list(map(int, np.argsort(-row, kind="stable")[:10])) for row in sims]
    return {"original": [[h["id"] for h in r] for r in original],
            "restored": [[h["id"] for h in r] for r in restored], "exact": exact}


@case
def test_snapshot_with_num_shards():
    schema_collection("shards4", [("id", DataType.INT64, {"is_primary": True}),
                                  ("vector", DataType.FLOAT_VECTOR, {"dim": DIM})],
                      [("vector", {"metric_type": "COSINE"})], num_shards=4)
    rng = np.random.default_rng(seed=19530)
    client.insert("shards4", [{"id": i, "vector": list(rng.random(DIM))} for i in range(100)])
    client.flush("shards4")
    client.create_snapshot(snapshot_name="sh_snap", collection_name="shards4")
    restore("sh_snap", "shards4", "shards4_restored")
    return {"source": client.describe_collection("shards4")["num_shards"],
            "restored": client.describe_collection("shards4_restored")["num_shards"]}


@case
def test_snapshot_with_partition_key():
    schema_collection("pkey", [("id", DataType.INT64, {"is_primary": True}),
                               ("vector", DataType.FLOAT_VECTOR, {"dim": DIM}),
                               ("category", DataType.INT64, {"is_partition_key": True})],
                      [("vector", {"metric_type": "COSINE"})], num_partitions=16)
    rng = np.random.default_rng(seed=19530)
    client.insert("pkey", [{"id": i, "vector": list(rng.random(DIM)), "category": i % 100} for i in range(500)])
    client.flush("pkey")
    client.create_snapshot(snapshot_name="pkey_snap", collection_name="pkey")
    restore("pkey_snap", "pkey", "pkey_restored")
    fields = client.describe_collection("pkey_restored")["fields"]
    client.load_collection("pkey_restored")
    return {"isPartitionKey": [f.get("is_partition_key", False) for f in fields if f["name"] == "category"],
            "partitions": len(client.list_partitions("pkey_restored")), "count": count("pkey_restored")}


@case
def test_snapshot_after_reindex():
    schema_collection("reindex", [("id", DataType.INT64, {"is_primary": True}),
                                  ("vector", DataType.FLOAT_VECTOR, {"dim": DIM})],
                      [("vector", {"metric_type": "COSINE", "index_type": "HNSW",
                                   "params": {"M": 16, "efConstruction": 200}})])
    rng = np.random.default_rng(seed=19530)
    client.insert("reindex", [{"id": i, "vector": list(rng.random(DIM))} for i in range(500)])
    client.flush("reindex")
    client.create_snapshot(snapshot_name="hnsw_snap", collection_name="reindex")
    client.release_collection("reindex")
    client.drop_index("reindex", "vector")
    params = client.prepare_index_params()
    params.add_index("vector", metric_type="L2", index_type="IVF_FLAT", params={"nlist": 128})
    client.create_index("reindex", params)
    client.create_snapshot(snapshot_name="ivf_snap", collection_name="reindex")
    out = {}
    for snap, target in (("hnsw_snap", "reindex_hnsw"), ("ivf_snap", "reindex_ivf")):
        restore(snap, "reindex", target)
        client.load_collection(target)
        hits = client.search(target, [list(rng.random(DIM))], limit=10, output_fields=["id"])
        out[target] = {"hits": len(hits[0]),
                       "index": client.describe_index(target, "vector")["index_type"]}
    return out


@case
def test_snapshot_after_compact():
    client.create_collection("compacted", DIM)
    rng = np.random.default_rng(seed=19530)
    client.insert("compacted", [{"id": i, "vector": list(rng.random(DIM))} for i in range(1000)])
    client.flush("compacted")
    client.delete("compacted", filter="id < 300")
    client.flush("compacted")
    job = client.compact("compacted")
    state = client.get_compaction_state(job)
    client.create_snapshot(snapshot_name="compact_snap", collection_name="compacted")
    restore("compact_snap", "compacted", "compacted_restored")
    client.load_collection("compacted_restored")
    return {"state": state, "count": count("compacted_restored"),
            "deleted": count("compacted_restored", "id < 300")}


@case
def test_snapshot_with_json_path_indexes():
    schema_collection("json_idx", [("id", DataType.INT64, {"is_primary": True}),
                                   ("vector", DataType.FLOAT_VECTOR, {"dim": DIM}),
                                   ("metadata", DataType.JSON, {})],
                      [("vector", {"metric_type": "COSINE"}),
                       ("metadata", {"index_name": "meta_number", "index_type": "INVERTED",
                                     "params": {"json_path": 'metadata["number"]', "json_cast_type": "double"}}),
                       ("metadata", {"index_name": "meta_key", "index_type": "INVERTED",
                                     "params": {"json_path": 'metadata["key"]', "json_cast_type": "varchar"}})])
    rng = np.random.default_rng(seed=19530)
    client.insert("json_idx", [{"id": i, "vector": list(rng.random(DIM)),
                                "metadata": {"key": f"value_{i}", "number": i, "nested": {"a": i}}}
                               for i in range(100)])
    client.flush("json_idx")
    client.create_snapshot(snapshot_name="json_snap", collection_name="json_idx")
    restore("json_snap", "json_idx", "json_idx_restored")
    client.load_collection("json_idx_restored")
    return {"indexes": sorted(client.list_indexes("json_idx_restored")),
            "number": count("json_idx_restored", 'metadata["number"] >= 90'),
            "nested": count("json_idx_restored", 'metadata["nested"]["a"] < 10'),
            "key": count("json_idx_restored", 'metadata["key"] like "value_1%"')}


@case
def test_snapshot_alias_cases():
    # test_snapshot_create_via_alias / test_snapshot_list_via_alias / test_snapshot_alter_alias_then_list_snapshots
    rng = np.random.default_rng(seed=19530)
    for name in ("alias_src_a", "alias_src_b"):
        client.create_collection(name, DIM)
        client.insert(name, [{"id": i, "vector": list(rng.random(DIM))} for i in range(100)])
        client.flush(name)
    client.create_alias("alias_src_a", "snap_alias")
    client.create_snapshot(snapshot_name="via_alias_a", collection_name="snap_alias")
    described = client.describe_snapshot(snapshot_name="via_alias_a", collection_name="alias_src_a")
    via_alias = client.list_snapshots(collection_name="snap_alias")
    client.alter_alias("alias_src_b", "snap_alias")
    client.create_snapshot(snapshot_name="via_alias_b", collection_name="snap_alias")
    after = client.list_snapshots(collection_name="snap_alias")
    client.drop_alias("snap_alias")
    try:
        client.create_snapshot(snapshot_name="dropped_alias", collection_name="snap_alias")
        dropped = None
    except Exception as err:
        dropped = {"code": err.code, "message": err.message}
    return {"describedCollection": described.collection_name, "viaAlias": via_alias, "afterAlter": after,
            "droppedAlias": dropped}


@case
def test_snapshot_rename_source_collection():
    client.create_collection("rename_src", DIM)
    rng = np.random.default_rng(seed=19530)
    client.insert("rename_src", [{"id": i, "vector": list(rng.random(DIM))} for i in range(300)])
    client.flush("rename_src")
    client.create_snapshot(snapshot_name="rename_snap", collection_name="rename_src")
    client.rename_collection("rename_src", "rename_dst")
    try:
        client.list_snapshots(collection_name="rename_src")
        old = None
    except Exception as err:
        old = {"code": err.code}
    listed = client.list_snapshots(collection_name="rename_dst")
    restore("rename_snap", "rename_dst", "rename_restored")
    client.load_collection("rename_restored")
    return {"oldName": old, "newName": listed, "count": count("rename_restored")}


@case
def test_snapshot_restore_cross_database():
    client.create_collection("xdb_src", DIM)
    rng = np.random.default_rng(seed=19530)
    client.insert("xdb_src", [{"id": i, "vector": list(rng.random(DIM))} for i in range(200)])
    client.flush("xdb_src")
    client.create_snapshot(snapshot_name="xdb_snap", collection_name="xdb_src")
    client.create_database("xdb_target")
    job = client.restore_snapshot(snapshot_name="xdb_snap", source_collection_name="xdb_src",
                                  target_collection_name="xdb_restored", target_db_name="xdb_target")
    for _ in range(300):
        if client.get_restore_snapshot_state(job_id=job).state == "RestoreSnapshotCompleted":
            break
        time.sleep(0.05)
    client.using_database("xdb_target")
    listed = client.list_collections()
    client.load_collection("xdb_restored")
    restored = count("xdb_restored")
    try:
        client.using_database("default")
        client.drop_database("xdb_target")
        not_empty = None
    except Exception as err:
        not_empty = err.message
    client.using_database("xdb_target")
    client.drop_collection("xdb_restored")
    client.using_database("default")
    client.drop_database("xdb_target")
    return {"listed": listed, "count": restored, "notEmpty": not_empty, "databases": client.list_databases()}


print(json.dumps(out, default=str))
