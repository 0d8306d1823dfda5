"""Upstream's create-parameter, restore-parameter and pin classes: compaction_protection_seconds,
an explicit source database, PinSnapshotData/UnpinSnapshotData (internal/proxy task_snapshot.go)."""
import pytest
from pymilvus import MilvusException

from snapshot_steps import NB, PREFIX, insert_flushed, rng, unique, vector_rows


def collection_with_snapshot(steps, nb=500):
    """Upstream's _prepare: a quick-setup collection with `nb` flushed rows and one snapshot."""
    collection, snapshot = steps.collection_name(), unique(PREFIX)
    steps.create_collection(collection, 128)
    insert_flushed(steps, collection, vector_rows(rng(), range(nb)))
    steps.client.create_snapshot(snapshot, collection)
    return collection, snapshot


def error_text(call):
    """The call fails (upstream catches any exception); returns its text, lower-cased."""
    with pytest.raises(MilvusException) as caught:
        call()
    return str(caught.value).lower()


class TestMilvusClientSnapshotCreateParams:
    def test_create_snapshot_with_compaction_protection_seconds(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        steps.create_collection(collection, 128)
        insert_flushed(steps, collection, vector_rows(rng(), range(500)))
        client.create_snapshot(snapshot, collection, compaction_protection_seconds=3600)
        assert client.describe_snapshot(snapshot, collection).name == snapshot
        client.drop_snapshot(snapshot, collection)

    def test_create_snapshot_compaction_protection_negative(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        message = error_text(
            lambda: steps.client.create_snapshot(unique(PREFIX), collection, compaction_protection_seconds=-1)
        )
        assert "non-negative" in message or "compaction_protection_seconds" in message, message

    def test_create_snapshot_compaction_protection_exceeds_max(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        message = error_text(
            lambda: steps.client.create_snapshot(unique(PREFIX), collection, compaction_protection_seconds=999_999_999)
        )
        assert "not exceed" in message or "exceeds" in message or "compaction_protection_seconds" in message, message


class TestMilvusClientSnapshotRestoreParams:
    def test_restore_snapshot_source_db_name_explicit(self, steps):
        client, source_db = steps.client, unique("test_src_db")
        collection, snapshot, restored = steps.collection_name(), unique(PREFIX), unique(PREFIX + "_restored")
        steps.create_database(source_db)
        steps.use_database(source_db)
        steps.collection_with_rows(collection)
        client.create_snapshot(snapshot, collection)

        steps.use_database("default")
        job_id = steps.restore(snapshot, collection, restored, source_db_name=source_db, target_db_name="default")
        steps.wait_for_restore_complete(job_id, timeout=120)
        assert restored in client.list_collections(), "Restored collection should be in default db"
        client.load_collection(restored)
        assert steps.count(restored, "id >= 0") == NB

        steps.use_database(source_db)
        assert collection in client.list_collections(), f"Source collection missing in {source_db}"
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(collection)
        steps.use_database("default")
        client.drop_collection(restored)
        client.drop_database(source_db)


class TestMilvusClientSnapshotPin:
    def test_pin_snapshot_data_basic(self, steps):
        client = steps.client
        collection, snapshot = collection_with_snapshot(steps)
        pin_id = client.pin_snapshot_data(snapshot, collection, ttl_seconds=60)
        assert isinstance(pin_id, int) and pin_id > 0, f"expected a positive pin_id, got {pin_id!r}"
        client.unpin_snapshot_data(pin_id)
        assert client.describe_snapshot(snapshot, collection).name == snapshot
        client.drop_snapshot(snapshot, collection)

    def test_pin_snapshot_blocks_drop(self, steps):
        client = steps.client
        collection, snapshot = collection_with_snapshot(steps)
        pin_id = client.pin_snapshot_data(snapshot, collection, ttl_seconds=300)
        message = error_text(lambda: client.drop_snapshot(snapshot, collection, timeout=30))
        assert "pin" in message, message
        client.unpin_snapshot_data(pin_id)
        client.drop_snapshot(snapshot, collection)
        assert snapshot not in client.list_snapshots(collection_name=collection)

    def test_pin_snapshot_invalid_ttl_negative(self, steps):
        client = steps.client
        collection, snapshot = collection_with_snapshot(steps)
        message = error_text(lambda: client.pin_snapshot_data(snapshot, collection, ttl_seconds=-1))
        assert "non-negative" in message or "ttl_seconds" in message, message
        client.drop_snapshot(snapshot, collection)

    def test_pin_snapshot_invalid_ttl_exceeds_max(self, steps):
        client = steps.client
        collection, snapshot = collection_with_snapshot(steps)
        message = error_text(lambda: client.pin_snapshot_data(snapshot, collection, ttl_seconds=2_592_001))
        assert "exceed" in message or "ttl_seconds" in message, message
        client.drop_snapshot(snapshot, collection)

    def test_pin_nonexistent_snapshot(self, steps):
        collection = steps.collection_name()
        steps.create_collection(collection, 128)
        # upstream accepts any error with a message
        assert error_text(lambda: steps.client.pin_snapshot_data(unique("ghost"), collection, ttl_seconds=60))

    def test_unpin_invalid_pin_id(self, steps):
        # upstream accepts a silent no-op or an error with a message; it must not hang
        try:
            steps.client.unpin_snapshot_data(pin_id=987_654_321, timeout=30)
        except MilvusException as err:
            assert str(err), "unpin error, if any, must carry a message"
