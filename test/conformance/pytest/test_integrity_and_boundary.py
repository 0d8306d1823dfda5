"""Upstream's data integrity, boundary and negative classes."""
import time

from pymilvus import DataType, MilvusException

from snapshot_steps import (
    DIM,
    PREFIX,
    VECTOR,
    cleanup,
    expect_error,
    id_and_vector,
    index_params_of,
    insert_flushed,
    rng,
    schema_of,
    snapshot_and_restore,
    unique,
    vector_rows,
)


class TestMilvusClientSnapshotDataIntegrity:
    def test_snapshot_vector_data_consistency(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        generator = rng(12345)
        originals = [list(generator.random(DIM)) for _ in range(100)]
        insert_flushed(steps, collection, [{"id": i, VECTOR: originals[i]} for i in range(100)])

        snapshot, restored = snapshot_and_restore(steps, collection)
        for row in client.query(restored, filter="id >= 0", output_fields=["id", VECTOR]):
            original = originals[row["id"]]
            for j in range(DIM):
                assert abs(original[j] - row[VECTOR][j]) < 1e-6, f"Vector mismatch at id={row['id']}, dim={j}"
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_search_recall_consistency(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        generator = rng()
        insert_flushed(steps, collection, vector_rows(generator, range(1000)))
        client.load_collection(collection)
        queries = [list(generator.random(DIM)) for _ in range(10)]
        before = client.search(collection, queries, limit=10, output_fields=["id"])

        snapshot, restored = snapshot_and_restore(steps, collection)
        after = client.search(restored, queries, limit=10, output_fields=["id"])
        for i in range(len(queries)):
            assert [hit["id"] for hit in before[i]] == [hit["id"] for hit in after[i]], f"query {i}"
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_scalar_data_consistency(self, steps):
        client, collection = steps.client, steps.collection_name()
        scalars = [
            ("int_field", DataType.INT32, {}),
            ("float_field", DataType.FLOAT, {}),
            ("bool_field", DataType.BOOL, {}),
            ("varchar_field", DataType.VARCHAR, {"max_length": 256}),
        ]
        steps.create_collection(
            collection,
            schema=schema_of(client, id_and_vector() + scalars),
            index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"})),
        )
        generator = rng()
        rows = [
            {
                "id": i,
                "vector": list(generator.random(DIM)),
                "int_field": i * 10,
                "float_field": i * 0.5,
                "bool_field": i % 2 == 0,
                "varchar_field": f"string_value_{i}",
            }
            for i in range(100)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        fields = ["id", "int_field", "float_field", "bool_field", "varchar_field"]
        for row in client.query(restored, filter="id >= 0", output_fields=fields):
            i = row["id"]
            assert row["int_field"] == i * 10
            assert abs(row["float_field"] - i * 0.5) < 1e-6
            assert row["bool_field"] == (i % 2 == 0)
            assert row["varchar_field"] == f"string_value_{i}"
        cleanup(steps, snapshot, collection, restored)


class TestMilvusClientSnapshotBoundary:
    def test_snapshot_name_special_characters(self, steps):
        """Upstream records which names are accepted and asserts nothing about them; so does this."""
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        names = [
            "snapshot-with-dash",
            "snapshot_with_underscore",
            "snapshot.with.dot",
            "snapshot@with@at",
            "snapshot#with#hash",
            "snapshot with space",
            "快照中文名称",
            "snapshot/with/slash",
        ]
        for name in names:
            try:
                client.create_snapshot(name, collection)
                if name in client.list_snapshots(collection_name=collection):
                    client.drop_snapshot(name, collection)
            except MilvusException:
                pass  # rejected: upstream only logs it

    def test_snapshot_name_max_length(self, steps):
        """Upstream probes growing lengths and stops at the first refusal, asserting nothing; so does this."""
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        for length in [64, 128, 256, 512, 1024]:
            try:
                client.create_snapshot("s" * length, collection)
                client.drop_snapshot("s" * length, collection)
            except MilvusException:
                break

    def test_snapshot_restore_progress_tracking(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        insert_flushed(steps, collection, vector_rows(rng(), range(5000)))
        snapshot, restored = unique(PREFIX), unique(PREFIX + "_restored")
        client.create_snapshot(snapshot, collection)
        job_id = steps.restore(snapshot, collection, restored)

        progress = []
        started = time.time()
        while time.time() - started < 120:
            state = client.get_restore_snapshot_state(job_id)
            progress.append(state.progress)
            if state.state == "RestoreSnapshotCompleted":
                break
            assert state.state != "RestoreSnapshotFailed", f"Restore failed: {state.reason}"
            time.sleep(0.5)

        assert 100 in progress
        for i in range(1, len(progress)):
            assert progress[i] >= progress[i - 1], f"Progress should not decrease: {progress}"
        final = client.get_restore_snapshot_state(job_id)
        assert final.start_time > 0, "start_time should be set"
        assert final.time_cost > 0, "time_cost should be > 0 after completion"
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(restored)

    def test_snapshot_multiple_on_same_collection(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        generator = rng()
        snapshots, expected = [], []
        for batch in range(3):
            insert_flushed(steps, collection, vector_rows(generator, [i + batch * 100 for i in range(100)]))
            name = f"{unique(PREFIX)}_batch{batch}"
            client.create_snapshot(name, collection)
            snapshots.append(name)
            expected.append((batch + 1) * 100)

        for snapshot, count in zip(snapshots, expected):
            restored = unique(PREFIX + "_restored")
            steps.wait_for_restore_complete(steps.restore(snapshot, collection, restored))
            client.load_collection(restored)
            assert steps.count(restored, "id >= 0") == count
            client.drop_collection(restored)
        for snapshot in snapshots:
            client.drop_snapshot(snapshot, collection)

    def test_snapshot_concurrent_restore(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        insert_flushed(steps, collection, vector_rows(rng(), range(500)))
        snapshot = unique(PREFIX)
        client.create_snapshot(snapshot, collection)

        targets = [unique(PREFIX + f"_restored_{i}") for i in range(3)]
        jobs = [steps.restore(snapshot, collection, target) for target in targets]
        for job_id in jobs:
            steps.wait_for_restore_complete(job_id, timeout=120)
        for target in targets:
            client.load_collection(target)
            assert steps.count(target, "id >= 0") == 500
            client.drop_collection(target)
        client.drop_snapshot(snapshot, collection)


class TestMilvusClientSnapshotNegative:
    def test_snapshot_restore_deleted_snapshot(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        insert_flushed(steps, collection, vector_rows(rng(), range(100)))
        snapshot = unique(PREFIX)
        client.create_snapshot(snapshot, collection)
        client.drop_snapshot(snapshot, collection)

        target = unique(PREFIX + "_restored")
        expect_error(lambda: client.restore_snapshot(snapshot, collection, target), 1, "not found")

    def test_snapshot_cascade_delete_on_drop_collection(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(collection, DIM)
        insert_flushed(steps, collection, vector_rows(rng(), range(100)))
        snapshot = unique(PREFIX)
        client.create_snapshot(snapshot, collection)
        assert snapshot in client.list_snapshots(collection_name=collection)

        client.drop_collection(collection)
        steps.create_collection(collection, DIM)  # a new collection with the same name
        assert len(client.list_snapshots(collection_name=collection)) == 0

    def test_snapshot_schema_consistency_autoID(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(
            collection,
            schema=schema_of(client, id_and_vector(), auto_id=True),
            index_params=index_params_of(client, ("vector", {"metric_type": "COSINE"})),
        )
        generator = rng()
        insert_flushed(steps, collection, [{"vector": list(generator.random(DIM))} for _ in range(100)])

        snapshot, restored = unique(PREFIX), unique(PREFIX + "_restored")
        client.create_snapshot(snapshot, collection)
        steps.wait_for_restore_complete(steps.restore(snapshot, collection, restored))
        primary = [f for f in client.describe_collection(restored)["fields"] if f.get("is_primary")][0]
        assert primary.get("auto_id", False), "auto_id should be preserved"
        client.insert(restored, [{"vector": list(generator.random(DIM))} for _ in range(10)])
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(restored)
