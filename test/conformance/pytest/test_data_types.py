"""Upstream's data type classes: primary keys, vector types, JSON, dynamic, scalar, array, nullable fields."""
import numpy as np
from ml_dtypes import bfloat16
from pymilvus import DataType, Function, FunctionType, MilvusClient

from snapshot_steps import (
    DIM,
    cleanup,
    id_and_vector,
    index_params_of,
    insert_flushed,
    rng,
    schema_of,
    snapshot_and_restore,
)


class TestMilvusClientSnapshotDataTypes:
    def test_snapshot_with_int64_pk(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, DIM)
        generator = rng()
        insert_flushed(steps, collection, [{"id": i, "vector": list(generator.random(DIM))} for i in range(100)])

        snapshot, restored = snapshot_and_restore(steps, collection)
        res = steps.client.query(restored, filter="id >= 0", output_fields=["id"])
        assert len(res) == 100
        assert sorted(r["id"] for r in res) == list(range(100))
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_varchar_pk(self, steps):
        client, collection = steps.client, steps.collection_name()
        schema = schema_of(
            client,
            [("pk", DataType.VARCHAR, {"is_primary": True, "max_length": 64}), ("vector", DataType.FLOAT_VECTOR, {"dim": DIM})],
        )
        steps.create_collection(
            collection, schema=schema, index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"}))
        )
        generator = rng()
        insert_flushed(steps, collection, [{"pk": f"key_{i}", "vector": list(generator.random(DIM))} for i in range(100)])

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert len(client.query(restored, filter="pk like 'key_%'", output_fields=["pk"])) == 100
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_multiple_vector_fields(self, steps):
        client, collection = steps.client, steps.collection_name()
        schema = schema_of(client, id_and_vector("float_vector") + [("binary_vector", DataType.BINARY_VECTOR, {"dim": 128})])
        index_params = index_params_of(
            client, ("float_vector", {"metric_type": "COSINE"}), ("binary_vector", {"metric_type": "HAMMING"})
        )
        steps.create_collection(collection, schema=schema, index_params=index_params)
        generator = rng()
        rows = [
            {
                "id": i,
                "float_vector": list(generator.random(DIM)),
                "binary_vector": bytes(generator.integers(0, 256, size=16, dtype=np.uint8)),
            }
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == 100
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_json_field(self, steps):
        client, collection = steps.client, steps.collection_name()
        schema = schema_of(client, id_and_vector() + [("metadata", DataType.JSON, {})])
        steps.create_collection(
            collection, schema=schema, index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"}))
        )
        generator = rng()
        rows = [
            {
                "id": i,
                "vector": list(generator.random(DIM)),
                "metadata": {"key": f"value_{i}", "number": i, "nested": {"a": i}},
            }
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        res = client.query(restored, filter="id == 0", output_fields=["metadata"])
        assert res[0]["metadata"]["key"] == "value_0"
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_dynamic_field(self, steps):
        client, collection = steps.client, steps.collection_name()
        schema = schema_of(client, id_and_vector(), dynamic=True)
        steps.create_collection(
            collection, schema=schema, index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"}))
        )
        generator = rng()
        rows = [
            {"id": i, "vector": list(generator.random(DIM)), "dynamic_field_1": f"dynamic_{i}", "dynamic_field_2": i * 10}
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        res = client.query(restored, filter="id == 0", output_fields=["dynamic_field_1", "dynamic_field_2"])
        assert res[0]["dynamic_field_1"] == "dynamic_0"
        assert res[0]["dynamic_field_2"] == 0
        cleanup(steps, snapshot, collection, restored)


class TestMilvusClientSnapshotAllDataTypes:
    def test_snapshot_with_all_scalar_types(self, steps):
        client, collection = steps.client, steps.collection_name()
        scalars = [
            ("int8_field", DataType.INT8, {}),
            ("int16_field", DataType.INT16, {}),
            ("int32_field", DataType.INT32, {}),
            ("bool_field", DataType.BOOL, {}),
            ("float_field", DataType.FLOAT, {}),
            ("double_field", DataType.DOUBLE, {}),
            ("varchar_field", DataType.VARCHAR, {"max_length": 256}),
        ]
        schema = schema_of(client, id_and_vector() + scalars)
        steps.create_collection(
            collection, schema=schema, index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"}))
        )
        generator = rng()
        rows = [
            {
                "id": i,
                "vector": list(generator.random(DIM)),
                "int8_field": np.int8(i % 127),
                "int16_field": np.int16(i * 10),
                "int32_field": np.int32(i * 100),
                "bool_field": i % 2 == 0,
                "float_field": float(i * 0.5),
                "double_field": float(i * 1.5),
                "varchar_field": f"string_{i}",
            }
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        res = client.query(restored, filter="id >= 0", output_fields=["id"] + [name for name, _, _ in scalars])
        assert len(res) == 100
        for row in res:
            i = row["id"]
            assert row["int8_field"] == i % 127
            assert row["int16_field"] == i * 10
            assert row["int32_field"] == i * 100
            assert row["bool_field"] == (i % 2 == 0)
            assert abs(row["float_field"] - i * 0.5) < 1e-5
            assert abs(row["double_field"] - i * 1.5) < 1e-10
            assert row["varchar_field"] == f"string_{i}"
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_array_types(self, steps):
        client, collection = steps.client, steps.collection_name()
        arrays = [
            ("int_array", DataType.ARRAY, {"element_type": DataType.INT64, "max_capacity": 50}),
            ("float_array", DataType.ARRAY, {"element_type": DataType.FLOAT, "max_capacity": 50}),
            ("varchar_array", DataType.ARRAY, {"element_type": DataType.VARCHAR, "max_length": 100, "max_capacity": 50}),
            ("bool_array", DataType.ARRAY, {"element_type": DataType.BOOL, "max_capacity": 50}),
        ]
        schema = schema_of(client, id_and_vector() + arrays)
        steps.create_collection(
            collection, schema=schema, index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"}))
        )
        generator = rng()
        rows = [
            {
                "id": i,
                "vector": list(generator.random(DIM)),
                "int_array": [i * j for j in range(10)],
                "float_array": [float(i * j * 0.1) for j in range(10)],
                "varchar_array": [f"str_{i}_{j}" for j in range(5)],
                "bool_array": [j % 2 == 0 for j in range(5)],
            }
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        res = client.query(
            restored, filter="id == 5", output_fields=["id", "int_array", "float_array", "varchar_array", "bool_array"]
        )
        assert len(res) == 1
        assert res[0]["int_array"] == [5 * j for j in range(10)]
        assert res[0]["varchar_array"] == [f"str_5_{j}" for j in range(5)]
        assert res[0]["bool_array"] == [j % 2 == 0 for j in range(5)]
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_all_vector_types(self, steps):
        client, collection = steps.client, steps.collection_name()
        vectors = [
            ("binary_vector", DataType.BINARY_VECTOR, {"dim": 128}),
            ("float16_vector", DataType.FLOAT16_VECTOR, {"dim": DIM}),
            ("sparse_vector", DataType.SPARSE_FLOAT_VECTOR, {}),
        ]
        schema = schema_of(client, id_and_vector("float_vector") + vectors)
        index_params = index_params_of(
            client,
            ("float_vector", {"metric_type": "COSINE"}),
            ("binary_vector", {"metric_type": "HAMMING"}),
            ("float16_vector", {"metric_type": "L2"}),
            ("sparse_vector", {"metric_type": "IP", "index_type": "SPARSE_INVERTED_INDEX"}),
        )
        steps.create_collection(collection, schema=schema, index_params=index_params)
        generator = rng()
        rows = []
        for i in range(100):
            rows.append(
                {
                    "id": i,
                    "float_vector": list(generator.random(DIM)),
                    "binary_vector": bytes(generator.integers(0, 256, size=16, dtype=np.uint8)),
                    "float16_vector": np.array(generator.random(DIM), dtype=np.float16).tobytes(),
                    "sparse_vector": {j: float(generator.random()) for j in generator.choice(1000, size=10, replace=False)},
                }
            )
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == 100
        hits = client.search(
            restored, [list(generator.random(DIM))], anns_field="float_vector", limit=10, output_fields=["id"]
        )
        assert len(hits[0]) == 10
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_nullable_fields(self, steps):
        client, collection = steps.client, steps.collection_name()
        nullable = [
            ("nullable_int", DataType.INT32, {"nullable": True}),
            ("nullable_varchar", DataType.VARCHAR, {"max_length": 256, "nullable": True}),
            ("nullable_float", DataType.FLOAT, {"nullable": True}),
        ]
        schema = schema_of(client, id_and_vector() + nullable)
        steps.create_collection(
            collection, schema=schema, index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"}))
        )
        generator = rng()
        rows = [
            {
                "id": i,
                "vector": list(generator.random(DIM)),
                "nullable_int": i * 10 if i % 3 != 0 else None,
                "nullable_varchar": f"str_{i}" if i % 4 != 0 else None,
                "nullable_float": float(i * 0.5) if i % 5 != 0 else None,
            }
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        fields = ["nullable_int", "nullable_varchar", "nullable_float"]
        res = client.query(restored, filter="id == 0", output_fields=fields)
        assert len(res) == 1
        assert res[0]["nullable_int"] is None
        assert res[0]["nullable_varchar"] is None
        assert res[0]["nullable_float"] is None
        res = client.query(restored, filter="id == 7", output_fields=fields)
        assert len(res) == 1
        assert res[0]["nullable_int"] == 70
        assert res[0]["nullable_varchar"] == "str_7"
        assert abs(res[0]["nullable_float"] - 3.5) < 1e-5
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_comprehensive_schema(self, steps):
        """Upstream builds the schema with common_func.gen_all_datatype_collection_schema (struct array,
        BM25 function, text match, nullable fields) and rows with gen_row_data_by_schema; this builds the
        same fields itself."""
        client, collection = steps.client, steps.collection_name()
        schema = comprehensive_schema()
        index_params = index_params_of(
            client,
            ("float_vector", {"metric_type": "COSINE"}),
            ("text_sparse_emb", {"metric_type": "BM25", "index_type": "SPARSE_INVERTED_INDEX"}),
            ("minhash_emb", {"metric_type": "HAMMING"}),
            ("array_struct[float_vector]", {"metric_type": "COSINE"}),
        )
        steps.create_collection(collection, schema=schema, index_params=index_params)
        nb = 200
        insert_flushed(steps, collection, comprehensive_rows(nb))
        client.load_collection(collection)
        assert steps.count(collection) == nb

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored) == nb
        client.query(restored, filter='TEXT_MATCH(text, "the")', output_fields=["id", "text"])
        hits = client.search(
            restored, [list(rng().random(DIM))], anns_field="float_vector", limit=10, output_fields=["id"]
        )
        assert len(hits[0]) > 0
        res = client.query(
            restored,
            filter="int64 >= 0",
            output_fields=["int64", "varchar", "json_field", "array_int", "array_bool", "array_struct"],
            limit=10,
        )
        assert len(res) > 0
        assert any(row.get("array_int") for row in res), "Should have rows with array_int data"
        structs = [row["array_struct"] for row in res if row.get("array_struct")]
        assert structs, "Should have rows with array_struct data"
        assert "name" in structs[0][0] and "age" in structs[0][0]
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_bfloat16_vector(self, steps):
        client, collection = steps.client, steps.collection_name()
        schema = schema_of(client, id_and_vector("float_vector") + [("bfloat16_vector", DataType.BFLOAT16_VECTOR, {"dim": DIM})])
        index_params = index_params_of(
            client, ("float_vector", {"metric_type": "COSINE"}), ("bfloat16_vector", {"metric_type": "L2"})
        )
        steps.create_collection(collection, schema=schema, index_params=index_params)
        generator = rng()
        rows = [
            {
                "id": i,
                "float_vector": list(generator.random(DIM)),
                "bfloat16_vector": np.array(generator.random(DIM), dtype=bfloat16),
            }
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == 100
        hits = client.search(
            restored,
            [np.array(generator.random(DIM), dtype=bfloat16)],
            anns_field="bfloat16_vector",
            limit=10,
            output_fields=["id"],
        )
        assert len(hits[0]) == 10
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_all_array_element_types(self, steps):
        client, collection = steps.client, steps.collection_name()
        elements = [
            ("arr_int8", DataType.INT8),
            ("arr_int16", DataType.INT16),
            ("arr_int32", DataType.INT32),
            ("arr_int64", DataType.INT64),
            ("arr_float", DataType.FLOAT),
            ("arr_double", DataType.DOUBLE),
            ("arr_bool", DataType.BOOL),
        ]
        arrays = [(name, DataType.ARRAY, {"element_type": element, "max_capacity": 20}) for name, element in elements]
        arrays.append(
            ("arr_varchar", DataType.ARRAY, {"element_type": DataType.VARCHAR, "max_length": 100, "max_capacity": 20})
        )
        schema = schema_of(client, id_and_vector() + arrays)
        steps.create_collection(
            collection, schema=schema, index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"}))
        )
        generator = rng()
        rows = [
            {
                "id": i,
                "vector": list(generator.random(DIM)),
                "arr_int8": [int(np.int8(j)) for j in range(5)],
                "arr_int16": [int(np.int16(i * 10 + j)) for j in range(5)],
                "arr_int32": [i * 100 + j for j in range(5)],
                "arr_int64": [i * 1000 + j for j in range(5)],
                "arr_float": [float(i * 0.1 + j * 0.01) for j in range(5)],
                "arr_double": [float(i * 1.1 + j * 0.11) for j in range(5)],
                "arr_bool": [j % 2 == 0 for j in range(5)],
                "arr_varchar": [f"s_{i}_{j}" for j in range(5)],
            }
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        res = client.query(restored, filter="id == 5", output_fields=[name for name, _, _ in arrays])
        assert len(res) == 1
        assert res[0]["arr_int32"] == [500, 501, 502, 503, 504]
        assert res[0]["arr_int64"] == [5000, 5001, 5002, 5003, 5004]
        assert res[0]["arr_bool"] == [True, False, True, False, True]
        assert res[0]["arr_varchar"] == ["s_5_0", "s_5_1", "s_5_2", "s_5_3", "s_5_4"]
        cleanup(steps, snapshot, collection, restored)


def comprehensive_schema():
    """The schema of common_func.gen_all_datatype_collection_schema(dim=128, enable_struct_array_field=True,
    enable_dynamic_field=True, nullable=True) as far as the upstream case uses it: the vector fields it
    indexes (float_vector, BM25 output text_sparse_emb, minhash_emb, the struct's float_vector) and the
    scalar fields it queries. The stored common_func has no minhash_emb and an unindexed int8 vector, so
    it is older than the case; geometry and timestamptz fields, which the case never touches, are left out."""
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=True)
    schema.add_field("int64", DataType.INT64, is_primary=True)
    schema.add_field("float", DataType.FLOAT, nullable=True)
    schema.add_field("varchar", DataType.VARCHAR, max_length=65535, nullable=True)
    schema.add_field("document", DataType.VARCHAR, max_length=2000, enable_analyzer=True, enable_match=True, nullable=True)
    schema.add_field(
        "text", DataType.VARCHAR, max_length=2000, enable_analyzer=True, enable_match=True,
        analyzer_params={"tokenizer": "standard"},
    )
    schema.add_field("json_field", DataType.JSON, nullable=True)
    for name, element in [("array_int", DataType.INT64), ("array_float", DataType.FLOAT), ("array_bool", DataType.BOOL)]:
        schema.add_field(name, DataType.ARRAY, element_type=element, max_capacity=100)
    schema.add_field("array_varchar", DataType.ARRAY, element_type=DataType.VARCHAR, max_length=200, max_capacity=100)
    schema.add_field("float_vector", DataType.FLOAT_VECTOR, dim=DIM)
    schema.add_field("text_sparse_emb", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("minhash_emb", DataType.BINARY_VECTOR, dim=DIM)
    struct = MilvusClient.create_struct_field_schema()
    struct.add_field("name", DataType.VARCHAR, max_length=200)
    struct.add_field("age", DataType.INT64)
    struct.add_field("float_vector", DataType.FLOAT_VECTOR, dim=DIM)
    schema.add_field("array_struct", datatype=DataType.ARRAY, element_type=DataType.STRUCT, struct_schema=struct, max_capacity=10)
    schema.add_function(
        Function(
            name="text",
            function_type=FunctionType.BM25,
            input_field_names=["text"],
            output_field_names=["text_sparse_emb"],
            params={},
        )
    )
    return schema


def comprehensive_rows(nb):
    """Rows for comprehensive_schema, as gen_row_data_by_schema makes them: every field filled (BM25 output
    left to the function), a few nulls in the nullable fields."""
    generator = rng()
    words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog"]
    rows = []
    for i in range(nb):
        rows.append(
            {
                "int64": i,
                "float": None if i % 10 == 0 else float(i),
                "varchar": None if i % 10 == 1 else f"varchar_{i}",
                "document": " ".join(generator.choice(words, size=6)),
                "text": " ".join(generator.choice(words, size=8)),
                "json_field": {"number": i, "name": f"name_{i}"},
                "array_int": [i + j for j in range(5)],
                "array_float": [float(i) + j / 10 for j in range(5)],
                "array_bool": [j % 2 == 0 for j in range(5)],
                "array_varchar": [f"v_{i}_{j}" for j in range(5)],
                "float_vector": list(generator.random(DIM)),
                "minhash_emb": bytes(generator.integers(0, 256, size=DIM // 8, dtype=np.uint8)),
                "array_struct": [
                    {"name": f"n_{i}_{j}", "age": j, "float_vector": list(generator.random(DIM))} for j in range(2)
                ],
                f"dynamic_{i % 3}": i,
            }
        )
    return rows
