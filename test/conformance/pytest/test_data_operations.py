"""Upstream's partition and data operation classes: partitions, delete, point in time, growing data,
upsert, compaction, reindex, several segments, mixed operations, dynamic fields."""
import time

from pymilvus import DataType

from snapshot_steps import (
    DIM,
    FLOAT,
    PREFIX,
    VARCHAR,
    cleanup,
    id_and_vector,
    index_params_of,
    insert_flushed,
    rng,
    schema_of,
    snapshot_and_restore,
    unique,
    vector_rows,
)


class TestMilvusClientSnapshotPartition:
    def test_snapshot_with_multiple_partitions(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        partitions = [f"partition_{i}" for i in range(3)]
        for partition in partitions:
            client.create_partition(collection, partition)
        generator = rng()
        for index, partition in enumerate(partitions):
            rows = vector_rows(generator, [i + index * 100 for i in range(100)])
            client.insert(collection, rows, partition_name=partition)
        client.flush(collection)

        snapshot, restored = snapshot_and_restore(steps, collection)
        listed = client.list_partitions(restored)
        for partition in partitions:
            assert partition in listed
        for partition in partitions:
            assert steps.count(restored, "id >= 0", partition_names=[partition]) == 100
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_restore_after_drop_partition(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        partition = "test_partition"
        client.create_partition(collection, partition)
        client.insert(collection, vector_rows(rng(), range(100)), partition_name=partition)
        client.flush(collection)
        snapshot, restored = unique(PREFIX), unique(PREFIX + "_restored")
        client.create_snapshot(snapshot, collection)

        client.release_collection(collection)
        client.drop_partition(collection, partition)

        steps.wait_for_restore_complete(steps.restore(snapshot, collection, restored))
        assert partition in client.list_partitions(restored)
        client.load_collection(restored)
        assert steps.count(restored, "id >= 0", partition_names=[partition]) == 100
        cleanup(steps, snapshot, collection, restored)


class TestMilvusClientSnapshotDataOperations:
    def test_snapshot_after_delete(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        insert_flushed(steps, collection, vector_rows(rng(), range(100)))
        client.load_collection(collection)
        client.delete(collection, filter="id < 50")
        client.flush(collection)

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == 50
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_point_in_time(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        generator = rng()
        insert_flushed(steps, collection, vector_rows(generator, range(100)))
        snapshot, restored = unique(PREFIX), unique(PREFIX + "_restored")
        client.create_snapshot(snapshot, collection)

        insert_flushed(steps, collection, vector_rows(generator, range(100, 150)))
        client.load_collection(collection)
        assert steps.count(collection, "id >= 0") == 150

        steps.wait_for_restore_complete(steps.restore(snapshot, collection, restored))
        client.load_collection(restored)
        assert steps.count(restored, "id >= 0") == 100
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_growing_segment_without_flush(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        generator = rng()
        insert_flushed(steps, collection, vector_rows(generator, range(100)))
        client.insert(collection, vector_rows(generator, range(100, 150)))  # not flushed: growing
        client.load_collection(collection)
        assert steps.count(collection, "id >= 0") == 150

        # a snapshot does not flush: only sealed data is in it (upstream cites datacoord handler.go)
        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == 100
        assert steps.count(restored, "id >= 100") == 0
        cleanup(steps, snapshot, collection, restored)


class TestMilvusClientSnapshotDataOperationsExtended:
    def test_snapshot_after_upsert(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        generator = rng()
        original = vector_rows(generator, range(100), extra=lambda i: {FLOAT: float(i), VARCHAR: f"original_{i}"})
        insert_flushed(steps, collection, original)
        updates = vector_rows(generator, range(50, 150), extra=lambda i: {FLOAT: float(i * 10), VARCHAR: f"updated_{i}"})
        client.upsert(collection, updates)
        client.flush(collection)

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == 150
        expected = {25: (25.0, "original_25"), 75: (750.0, "updated_75"), 125: (1250.0, "updated_125")}
        for key, (number, text) in expected.items():
            res = client.query(restored, filter=f"id == {key}", output_fields=[FLOAT, VARCHAR])
            assert res[0][FLOAT] == number
            assert res[0][VARCHAR] == text
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_after_compact(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        insert_flushed(steps, collection, vector_rows(rng(), range(1000)))
        client.load_collection(collection)
        client.delete(collection, filter="id < 300")
        client.flush(collection)
        client.compact(collection)
        time.sleep(10)  # upstream waits this long for the compaction

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == 700
        assert steps.count(restored, "id < 300") == 0
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_after_reindex(self, steps):
        client, collection = steps.client, steps.collection_name()
        hnsw = {"metric_type": "COSINE", "index_type": "HNSW", "params": {"M": 16, "efConstruction": 200}}
        steps.create_collection(
            collection, schema=schema_of(client, id_and_vector()), index_params=index_params_of(client, ("vector", hnsw))
        )
        generator = rng()
        insert_flushed(steps, collection, vector_rows(generator, range(500)))
        snapshot_hnsw, snapshot_ivf = unique(PREFIX + "_hnsw"), unique(PREFIX + "_ivf")
        restored_hnsw, restored_ivf = unique(PREFIX + "_restored_hnsw"), unique(PREFIX + "_restored_ivf")
        client.create_snapshot(snapshot_hnsw, collection)

        client.release_collection(collection)
        client.drop_index(collection, "vector")
        ivf = {"metric_type": "L2", "index_type": "IVF_FLAT", "params": {"nlist": 128}}
        client.create_index(collection, index_params_of(client, ("vector", ivf)))
        client.create_snapshot(snapshot_ivf, collection)

        steps.wait_for_restore_complete(steps.restore(snapshot_hnsw, collection, restored_hnsw))
        steps.wait_for_restore_complete(steps.restore(snapshot_ivf, collection, restored_ivf))
        for restored in [restored_hnsw, restored_ivf]:
            client.load_collection(restored)
            hits = client.search(restored, [list(generator.random(DIM))], limit=10, output_fields=["id"])
            assert len(hits[0]) == 10
        for snapshot in [snapshot_hnsw, snapshot_ivf]:
            client.drop_snapshot(snapshot, collection)
        client.drop_collection(restored_hnsw)
        client.drop_collection(restored_ivf)

    def test_snapshot_after_multiple_inserts(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        generator = rng()
        total = 0
        for batch in range(5):  # one sealed segment per batch
            insert_flushed(steps, collection, vector_rows(generator, [i + batch * 200 for i in range(200)]))
            total += 200

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == total
        ids = sorted(row["id"] for row in client.query(restored, filter="id >= 0", output_fields=["id"]))
        assert ids == list(range(total))
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_after_mixed_operations(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        generator = rng()
        insert_flushed(steps, collection, vector_rows(generator, range(200), extra=lambda i: {VARCHAR: f"original_{i}"}))
        client.load_collection(collection)
        client.delete(collection, filter="id < 50")
        client.flush(collection)
        client.upsert(collection, vector_rows(generator, range(100, 250), extra=lambda i: {VARCHAR: f"upserted_{i}"}))
        client.flush(collection)

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == 200
        assert steps.count(restored, "id < 50") == 0
        for key, text in {75: "original_75", 125: "upserted_125", 225: "upserted_225"}.items():
            assert client.query(restored, filter=f"id == {key}", output_fields=[VARCHAR])[0][VARCHAR] == text
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_clustering_compaction(self, steps):
        client, collection = steps.client, steps.collection_name()
        schema = schema_of(client, id_and_vector() + [("category", DataType.INT64, {"is_clustering_key": True})])
        steps.create_collection(
            collection, schema=schema, index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"}))
        )
        generator = rng()
        rows = [{"id": i, "vector": list(generator.random(DIM)), "category": i % 10} for i in range(1000)]
        insert_flushed(steps, collection, rows)
        try:
            client.compact(collection, is_clustering=True)
            time.sleep(15)  # upstream waits this long for the compaction
        except Exception:  # upstream tolerates a server without clustering compaction
            pass

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "id >= 0") == 1000
        for category in range(10):
            assert steps.count(restored, f"category == {category}") == 100
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_dynamic_field(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(
            collection,
            schema=schema_of(client, id_and_vector(), dynamic=True),
            index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"})),
        )
        generator = rng()
        rows = [
            {
                "id": i,
                "vector": list(generator.random(DIM)),
                "dynamic_str": f"dynamic_{i}",
                "dynamic_int": i * 100,
                "dynamic_float": float(i * 0.5),
                "dynamic_bool": i % 2 == 0,
            }
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        fields = ["id", "dynamic_str", "dynamic_int", "dynamic_float", "dynamic_bool"]
        res = client.query(restored, filter="id == 50", output_fields=fields)
        assert len(res) == 1
        assert res[0]["dynamic_str"] == "dynamic_50"
        assert res[0]["dynamic_int"] == 5000
        assert abs(res[0]["dynamic_float"] - 25.0) < 1e-5
        assert res[0]["dynamic_bool"] is True
        assert steps.count(restored, "id >= 0") == 100
        cleanup(steps, snapshot, collection, restored)
