"""Upstream's alias class: snapshot calls resolve aliases (proxy globalMetaCache.GetCollectionID)."""
from snapshot_steps import NB, PREFIX, expect_error, unique


class TestMilvusClientSnapshotAlias:
    def test_snapshot_create_via_alias(self, steps):
        client, collection = steps.client, steps.collection_name()
        alias, snapshot = unique(PREFIX + "_alias"), unique(PREFIX)
        steps.collection_with_rows(collection)
        client.create_alias(collection, alias)

        client.create_snapshot(snapshot, alias)
        info = client.describe_snapshot(snapshot, alias)
        assert info.collection_name == collection, f"Expected real collection name {collection!r}"
        client.drop_snapshot(snapshot, collection)
        client.drop_alias(alias)
        client.drop_collection(collection)

    def test_snapshot_list_via_alias(self, steps):
        client, collection = steps.client, steps.collection_name()
        alias, snapshot = unique(PREFIX + "_alias"), unique(PREFIX)
        steps.collection_with_rows(collection)
        client.create_alias(collection, alias)
        client.create_snapshot(snapshot, collection)

        via_alias = client.list_snapshots(collection_name=alias)
        via_name = client.list_snapshots(collection_name=collection)
        assert snapshot in via_alias
        assert via_alias == via_name
        client.drop_snapshot(snapshot, collection)
        client.drop_alias(alias)
        client.drop_collection(collection)

    def test_snapshot_restore_from_alias_created_snapshot(self, steps):
        client, collection = steps.client, steps.collection_name()
        alias, snapshot, restored = unique(PREFIX + "_alias"), unique(PREFIX), unique(PREFIX + "_restored")
        steps.collection_with_rows(collection)
        client.create_alias(collection, alias)
        client.create_snapshot(snapshot, alias)

        # the alias names the source too: the server resolves it to the real collection
        steps.wait_for_restore_complete(steps.restore(snapshot, alias, restored))
        client.load_collection(restored)
        assert steps.count(restored, "id >= 0") == NB
        client.drop_snapshot(snapshot, collection)
        client.drop_alias(alias)
        client.drop_collection(collection)
        client.drop_collection(restored)

    def test_snapshot_list_restore_jobs_via_alias(self, steps):
        client, collection = steps.client, steps.collection_name()
        snapshot, restored = unique(PREFIX), unique(PREFIX + "_restored")
        restored_alias = unique(PREFIX + "_restored_alias")
        steps.collection_with_rows(collection)
        client.create_snapshot(snapshot, collection)
        job_id = steps.restore(snapshot, collection, restored)
        steps.wait_for_restore_complete(job_id)

        client.create_alias(restored, restored_alias)
        job_ids = [job.job_id for job in client.list_restore_snapshot_jobs(collection_name=restored_alias)]
        assert job_id in job_ids, f"Restore job {job_id} not found via alias. Jobs: {job_ids}"
        client.drop_snapshot(snapshot, collection)
        client.drop_alias(restored_alias)
        client.drop_collection(collection)
        client.drop_collection(restored)

    def test_snapshot_drop_alias_then_create_snapshot(self, steps):
        client, collection = steps.client, steps.collection_name()
        alias, snapshot = unique(PREFIX + "_alias"), unique(PREFIX)
        steps.collection_with_rows(collection)
        client.create_alias(collection, alias)
        client.drop_alias(alias)

        expect_error(lambda: client.create_snapshot(snapshot, alias), 100, "not found")
        client.create_snapshot(snapshot, collection)
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(collection)

    def test_snapshot_alter_alias_then_list_snapshots(self, steps):
        client, base = steps.client, steps.collection_name()
        col_a, col_b = base + "_a", base + "_b"
        alias, snapshot_a, snapshot_b = unique(PREFIX + "_alias"), unique(PREFIX + "_a"), unique(PREFIX + "_b")
        steps.collection_with_rows(col_a)
        steps.collection_with_rows(col_b)

        client.create_alias(col_a, alias)
        client.create_snapshot(snapshot_a, alias)
        client.alter_alias(col_b, alias)
        client.create_snapshot(snapshot_b, alias)

        via_alias = client.list_snapshots(collection_name=alias)
        assert snapshot_b in via_alias
        assert snapshot_a not in via_alias
        assert snapshot_a in client.list_snapshots(collection_name=col_a)
        assert snapshot_b in client.list_snapshots(collection_name=col_b)
        client.drop_snapshot(snapshot_a, col_a)
        client.drop_snapshot(snapshot_b, col_b)
        client.drop_alias(alias)
        client.drop_collection(col_a)
        client.drop_collection(col_b)

    def test_restore_target_name_equals_existing_alias_fails(self, steps):
        client, col_src = steps.client, steps.collection_name()
        alias, snapshot = unique(PREFIX + "_alias"), unique(PREFIX)
        steps.collection_with_rows(col_src)
        client.create_snapshot(snapshot, col_src)
        client.create_alias(col_src, alias)

        # rootcoord create_collection_task.go validateIfCollectionExists, reached through
        # datacoord snapshot_manager.go RestoreCollection
        expect_error(
            lambda: client.restore_snapshot(snapshot, col_src, alias), 65535, "conflicts with an existing alias"
        )
        assert snapshot in client.list_snapshots(collection_name=col_src)

        clean = unique(PREFIX + "_clean")
        steps.wait_for_restore_complete(steps.restore(snapshot, col_src, clean))
        client.drop_snapshot(snapshot, col_src)
        client.drop_alias(alias)
        client.drop_collection(col_src)
        client.drop_collection(clean)
