"""Upstream's L0/L1 classes: lifecycle, invalid create/drop/restore, list/describe, restore state.

Every test follows the upstream case of the same class and name in milvus-io/milvus
tests/python_client/milvus_client/test_milvus_client_snapshot.py (commit in ../upstream-cases.json);
where a call had to change for pymilvus 3.0.2 / Milvus 3.0, docs/standin.md lists it.
"""
import time

import pytest

from snapshot_steps import FLOAT, NB, PREFIX, VARCHAR, expect_error, insert_flushed, rng, unique, vector_rows


def quick_rows_with_scalars(count):
    """The L0 rows: id, vector, and the dynamic fields "float" and "varchar" (quick setup is dynamic)."""
    return vector_rows(rng(), range(count), extra=lambda i: {FLOAT: i * 1.0, VARCHAR: str(i)})


class TestMilvusClientSnapshotDefault:
    def test_snapshot_create_list_describe_drop(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        steps.create_collection(collection, 128)
        client.insert(collection, quick_rows_with_scalars(NB))
        client.flush(collection)

        client.create_snapshot(snapshot, collection, description="Test snapshot for L0")
        assert snapshot in client.list_snapshots(collection_name=collection)

        info = client.describe_snapshot(snapshot, collection)
        assert info.name == snapshot
        assert info.collection_name == collection
        assert info.create_ts > 0

        client.drop_snapshot(snapshot, collection)
        assert snapshot not in client.list_snapshots(collection_name=collection)

    def test_snapshot_restore_basic(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        restored = unique(PREFIX + "_restored")
        steps.create_collection(collection, 128)
        client.insert(collection, quick_rows_with_scalars(NB))
        client.flush(collection)
        client.create_snapshot(snapshot, collection)

        job_id = steps.restore(snapshot, collection, restored)
        assert job_id > 0, "restore_snapshot should return a valid job_id"
        steps.wait_for_restore_complete(job_id)

        client.load_collection(restored)
        assert steps.count(restored) == NB

        client.drop_snapshot(snapshot, collection)
        client.drop_collection(restored)


class TestMilvusClientSnapshotCreateInvalid:
    @pytest.mark.parametrize("snapshot_name", ["", None])
    def test_snapshot_create_invalid_name(self, steps, snapshot_name):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        # pymilvus refuses it before sending (ParamError)
        expect_error(
            lambda: steps.client.create_snapshot(snapshot_name, collection),
            1,
            "snapshot_name must be a non-empty string",
        )

    def test_snapshot_create_whitespace_name(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        expect_error(lambda: steps.client.create_snapshot(" ", collection), 1100, "snapshot name should be not empty")

    def test_snapshot_create_collection_not_exist(self, steps):
        expect_error(
            lambda: steps.client.create_snapshot(unique(PREFIX), unique("non_existent")),
            100,
            "collection not found",
        )

    def test_snapshot_create_duplicate_name(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        steps.create_collection(collection, 128)
        client.create_snapshot(snapshot, collection)
        expect_error(lambda: client.create_snapshot(snapshot, collection), 1, "already exists")
        client.drop_snapshot(snapshot, collection)

    def test_snapshot_create_empty_collection(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        steps.create_collection(collection, 128)
        client.create_snapshot(snapshot, collection)
        assert snapshot in client.list_snapshots(collection_name=collection)
        client.drop_snapshot(snapshot, collection)

    def test_snapshot_create_same_name_different_collections(self, steps):
        client, base = steps.client, steps.collection_name()
        col_a, col_b, shared = base + "_a", base + "_b", unique(PREFIX + "_shared")
        steps.create_collection(col_a, 128)
        steps.create_collection(col_b, 128)
        # names are unique per collection (datacoord services.go CreateSnapshot keys by collection id)
        client.create_snapshot(shared, col_a)
        client.create_snapshot(shared, col_b)

        assert shared in client.list_snapshots(collection_name=col_a)
        assert shared in client.list_snapshots(collection_name=col_b)
        assert client.describe_snapshot(shared, col_a).collection_name == col_a
        assert client.describe_snapshot(shared, col_b).collection_name == col_b

        client.drop_snapshot(shared, col_a)
        client.drop_snapshot(shared, col_b)
        client.drop_collection(col_a)
        client.drop_collection(col_b)


class TestMilvusClientSnapshotDropInvalid:
    @pytest.mark.parametrize("snapshot_name", ["", None])
    def test_snapshot_drop_invalid_name(self, steps, snapshot_name):
        # pymilvus checks the snapshot name before the (also empty) collection name
        expect_error(
            lambda: steps.client.drop_snapshot(snapshot_name, ""),
            1,
            "snapshot_name must be a non-empty string",
        )

    def test_snapshot_drop_whitespace_name(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        expect_error(lambda: steps.client.drop_snapshot(" ", collection), 1100, "snapshot name should be not empty")

    def test_snapshot_drop_not_exist(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        steps.client.drop_snapshot(unique("non_existent"), collection)  # idempotent: no error

    def test_snapshot_drop_during_restore(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        restored = unique(PREFIX + "_restored")
        steps.collection_with_rows(collection)
        client.create_snapshot(snapshot, collection)

        job_id = steps.restore(snapshot, collection, restored)
        # upstream waits (at most 30 s) until the job has left Pending before it tries the drop
        started = time.time()
        while time.time() - started < 30:
            if client.get_restore_snapshot_state(job_id).state != "RestoreSnapshotPending":
                break
            time.sleep(0.5)
        # the restore pins the snapshot (PR #48143): dropping it now is refused
        expect_error(lambda: client.drop_snapshot(snapshot, collection), 2601, "active pins exist")

        steps.wait_for_restore_complete(job_id)
        client.drop_snapshot(snapshot, collection)
        assert snapshot not in client.list_snapshots(collection_name=collection)
        client.drop_collection(restored)


class TestMilvusClientSnapshotListDescribe:
    def test_snapshot_list_all(self, steps):
        client, collection = steps.client, steps.collection_name()
        names = [unique(PREFIX) for _ in range(3)]
        steps.create_collection(collection, 128)
        for name in names:
            client.create_snapshot(name, collection)
        listed = client.list_snapshots(collection_name=collection)
        for name in names:
            assert name in listed
        for name in names:
            client.drop_snapshot(name, collection)

    def test_snapshot_list_by_collection(self, steps):
        client, base = steps.client, steps.collection_name()
        first, second = base + "_1", base + "_2"
        snapshot1, snapshot2 = unique(PREFIX + "_1"), unique(PREFIX + "_2")
        steps.create_collection(first, 128)
        steps.create_collection(second, 128)
        client.create_snapshot(snapshot1, first)
        client.create_snapshot(snapshot2, second)

        listed = client.list_snapshots(collection_name=first)
        assert snapshot1 in listed
        assert snapshot2 not in listed

        client.drop_snapshot(snapshot1, first)
        client.drop_snapshot(snapshot2, second)

    def test_snapshot_list_empty(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        assert len(steps.client.list_snapshots(collection_name=collection)) == 0

    def test_snapshot_describe_not_exist(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        expect_error(lambda: steps.client.describe_snapshot(unique("non_existent"), collection), 1, "not found")

    def test_snapshot_describe_with_description(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        description = "Test description for snapshot"
        steps.create_collection(collection, 128)
        client.create_snapshot(snapshot, collection, description=description)
        assert client.describe_snapshot(snapshot, collection).description == description
        client.drop_snapshot(snapshot, collection)


    def test_snapshot_list_by_db_name_from_other_context(self, steps):
        client, target_db = steps.client, unique("test_db_list")
        collection, snapshot = steps.collection_name(), unique(PREFIX)
        steps.create_database(target_db)
        steps.use_database(target_db)
        steps.create_collection(collection, 128)
        client.create_snapshot(snapshot, collection)

        steps.use_database("default")
        listed = client.list_snapshots(collection_name=collection, db_name=target_db)
        assert snapshot in listed, f"{snapshot} missing when listing via db_name={target_db}, got {listed}"

        steps.use_database(target_db)
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(collection)
        steps.use_database("default")
        client.drop_database(target_db)

    def test_snapshot_list_restore_jobs_by_db_name(self, steps):
        client, target_db = steps.client, unique("test_db_jobs")
        collection, snapshot, restored = steps.collection_name(), unique(PREFIX), unique(PREFIX + "_restored")
        steps.create_database(target_db)
        steps.use_database(target_db)
        steps.create_collection(collection, 128)
        insert_flushed(steps, collection, vector_rows(rng(), range(500)))
        client.create_snapshot(snapshot, collection)
        job_id = steps.restore(snapshot, collection, restored, source_db_name=target_db, target_db_name=target_db)
        steps.wait_for_restore_complete(job_id)

        steps.use_database("default")
        in_target = [job.job_id for job in client.list_restore_snapshot_jobs(collection_name="", db_name=target_db)]
        assert job_id in in_target, f"Job {job_id} should appear when listing via db_name={target_db}, got {in_target}"
        in_default = [job.job_id for job in client.list_restore_snapshot_jobs(collection_name="", db_name="default")]
        assert job_id not in in_default, f"Job {job_id} leaked into default db listing: {in_default}"

        steps.use_database(target_db)
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(collection)
        client.drop_collection(restored)
        steps.use_database("default")
        client.drop_database(target_db)

class TestMilvusClientSnapshotRestoreInvalid:
    def test_snapshot_restore_not_exist(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        target = unique(PREFIX + "_target")
        expect_error(
            lambda: steps.client.restore_snapshot(unique("non_existent"), collection, target), 1, "not found"
        )

    def test_snapshot_restore_collection_exist(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        target = unique(PREFIX + "_target")
        steps.create_collection(collection, 128)
        client.create_snapshot(snapshot, collection)
        steps.create_collection(target, 128)

        expect_error(lambda: client.restore_snapshot(snapshot, collection, target), 65535, "duplicate collection")
        client.drop_snapshot(snapshot, collection)


class TestMilvusClientSnapshotRestoreState:
    def test_snapshot_restore_state_not_exist(self, steps):
        expect_error(lambda: steps.client.get_restore_snapshot_state(999999999), 1, "not found")

    def test_snapshot_list_restore_jobs(self, steps):
        assert isinstance(steps.client.list_restore_snapshot_jobs(), list)
