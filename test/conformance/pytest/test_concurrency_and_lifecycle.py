"""Upstream's concurrency and lifecycle classes: races between snapshot, restore and collection DDL."""
import threading
import time

from pymilvus import MilvusException

from snapshot_steps import DIM, NB, PREFIX, expect_error, insert_flushed, rng, unique, vector_rows

TERMINAL = ("RestoreSnapshotCompleted", "RestoreSnapshotFailed")


def run_threads(*targets):
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def snapshots_of(client, collection):
    """list_snapshots of a collection, or [] once the collection is gone (Milvus answers 100 then)."""
    try:
        return client.list_snapshots(collection_name=collection)
    except MilvusException as err:
        if err.code != 100:
            raise
        return []


class TestMilvusClientSnapshotConcurrency:
    def test_snapshot_concurrent_create_same_name(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        steps.create_collection(collection, DIM)
        results, errors = [], []

        def create():
            try:
                client.create_snapshot(snapshot, collection)
                results.append("success")
            except Exception as err:  # upstream collects any error's text
                errors.append(str(err))

        run_threads(*[create] * 5)
        assert len(results) == 1, f"Expected 1 success, got {len(results)}: {errors}"
        for err in errors:
            assert "exist" in err.lower() or "duplicate" in err.lower(), f"Unexpected error: {err}"
        client.drop_snapshot(snapshot, collection)

    def test_snapshot_captures_consistent_point_in_time(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        steps.create_collection(collection, DIM)
        generator = rng()
        insert_flushed(steps, collection, vector_rows(generator, range(1000)))
        stop = threading.Event()
        inserted = [1000]

        def insert_batches():
            batch = 0
            while not stop.is_set():
                rows = vector_rows(generator, [10000 + batch * 100 + i for i in range(100)])
                try:
                    client.insert(collection, rows)
                    inserted[0] += 100
                    batch += 1
                except MilvusException:
                    pass  # upstream logs a failed insert and goes on
                time.sleep(0.1)

        inserter = threading.Thread(target=insert_batches)
        inserter.start()
        time.sleep(0.5)
        client.create_snapshot(snapshot, collection)
        stop.set()
        inserter.join()
        client.describe_snapshot(snapshot, collection)  # upstream logs create_ts

        restored = unique(PREFIX + "_restored")
        steps.wait_for_restore_complete(steps.restore(snapshot, collection, restored))
        client.load_collection(restored)
        count = steps.count(restored, "id >= 0")
        assert count >= 1000, f"Should have at least 1000 rows, got {count}"
        assert count <= inserted[0], f"Should not exceed total inserted: {count} > {inserted[0]}"
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(restored)

    def test_concurrent_restore_same_snapshot(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        steps.create_collection(collection, DIM)
        insert_flushed(steps, collection, vector_rows(rng(), range(500)))
        client.create_snapshot(snapshot, collection)
        jobs, targets, lock = [], [], threading.Lock()

        def restore(index):
            target = unique(PREFIX + f"_concurrent_{index}")
            try:
                job_id = steps.restore(snapshot, collection, target)
                with lock:
                    jobs.append(job_id)
                    targets.append(target)
            except MilvusException:
                pass  # upstream logs a refused restore and checks the others

        run_threads(*[lambda i=i: restore(i) for i in range(3)])
        for job_id in jobs:
            steps.wait_for_restore_complete(job_id, timeout=120)
        for target in targets:
            client.load_collection(target)
            assert steps.count(target, "id >= 0") == 500, f"{target} should have 500 rows"
        client.drop_snapshot(snapshot, collection)
        for target in targets:
            client.drop_collection(target)


class TestMilvusClientSnapshotLifecycle:
    def test_snapshot_drop_target_collection_during_restore(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        restored = unique(PREFIX + "_restored")
        steps.collection_with_rows(collection)
        client.create_snapshot(snapshot, collection)

        job_id = steps.restore(snapshot, collection, restored)
        try:
            client.drop_collection(restored, timeout=30)
        except MilvusException:
            pass  # upstream logs it

        final, started = None, time.time()
        while time.time() - started < 120:
            final = client.get_restore_snapshot_state(job_id).state
            if final in TERMINAL:
                break
            time.sleep(2)
        assert final in TERMINAL, f"Restore job should reach terminal state, got: {final}"
        client.list_collections()
        client.drop_snapshot(snapshot, collection)

    def test_snapshot_rename_source_collection(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        renamed, restored = unique(PREFIX + "_renamed"), unique(PREFIX + "_restored")
        steps.collection_with_rows(collection)
        client.create_snapshot(snapshot, collection)

        client.rename_collection(collection, renamed)
        steps.created(renamed)
        expect_error(lambda: client.list_snapshots(collection_name=collection), 100, "collection not found")
        assert snapshot in client.list_snapshots(collection_name=renamed)

        assert client.describe_snapshot(snapshot, renamed).name == snapshot
        steps.wait_for_restore_complete(steps.restore(snapshot, renamed, restored))
        client.load_collection(restored)
        assert steps.count(restored, "id >= 0") == NB
        client.drop_snapshot(snapshot, renamed)
        client.drop_collection(renamed)
        client.drop_collection(restored)

    def test_snapshot_create_on_restoring_collection(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        restored, on_restored = unique(PREFIX + "_restored"), unique(PREFIX + "_on_restored")
        steps.collection_with_rows(collection)
        client.create_snapshot(snapshot, collection)

        job_id = steps.restore(snapshot, collection, restored)
        try:
            client.create_snapshot(on_restored, restored)
            created = True
        except MilvusException:
            created = False  # upstream accepts a refusal
        steps.wait_for_restore_complete(job_id, timeout=120)

        if created:
            partial = unique(PREFIX + "_from_partial")
            steps.wait_for_restore_complete(steps.restore(on_restored, restored, partial))
            client.load_collection(partial)
            assert steps.count(partial, "id >= 0") <= NB
            client.drop_collection(partial)
            client.drop_snapshot(on_restored, restored)
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(restored)

    def test_snapshot_restore_failure_no_resource_leak(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        existing = unique(PREFIX + "_existing")
        steps.collection_with_rows(collection)
        client.create_snapshot(snapshot, collection)
        steps.create_collection(existing, DIM)

        expect_error(lambda: client.restore_snapshot(snapshot, collection, existing), 65535, "duplicate collection")
        client.load_collection(existing)
        assert steps.count(existing, "id >= 0") == 0, "Existing collection should remain empty (untouched)"
        assert client.describe_snapshot(snapshot, collection).name == snapshot

        clean = unique(PREFIX + "_clean")
        steps.wait_for_restore_complete(steps.restore(snapshot, collection, clean))
        client.load_collection(clean)
        assert steps.count(clean, "id >= 0") == NB
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(existing)
        client.drop_collection(clean)

    def test_snapshot_concurrent_drop_same_snapshot(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        steps.create_collection(collection, DIM)
        insert_flushed(steps, collection, vector_rows(rng(), range(100)))
        client.create_snapshot(snapshot, collection)
        results, errors = [], []

        def drop():
            try:
                client.drop_snapshot(snapshot, collection)
                results.append("success")
            except Exception as err:  # upstream collects any error's text
                errors.append(str(err))

        run_threads(*[drop] * 5)
        # upstream accepts transient errors besides the one success (etcd write conflicts under load)
        assert len(results) >= 1, f"At least one concurrent drop should succeed, got errors: {errors}"
        assert len(results) + len(errors) == 5
        assert snapshot not in client.list_snapshots(collection_name=collection)

    def test_snapshot_create_during_drop_source_collection(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        steps.collection_with_rows(collection)
        created, dropped = {"success": False}, {"success": False, "error": None}

        def create():
            # upstream passes (collection_name, snapshot_name) positionally, the reverse of pymilvus's order
            try:
                client.create_snapshot(snapshot, collection)
                created["success"] = True
            except MilvusException:
                pass

        def drop():
            try:
                client.drop_collection(collection)
                dropped["success"] = True
            except MilvusException as err:
                dropped["error"] = str(err)

        run_threads(create, drop)
        # upstream lists all snapshots here (list_snapshots without a collection); Milvus 3.0 requires
        # one (internal/proxy task_snapshot.go listSnapshotsTask.PreExecute), so the source's name
        # stands in: once the drop cascaded (PR #48143) that answers 100, read as "no snapshot".
        if created["success"] and snapshot in snapshots_of(client, collection):
            restored = unique(PREFIX + "_restored")
            steps.wait_for_restore_complete(steps.restore(snapshot, collection, restored))
            client.load_collection(restored)
            assert steps.count(restored, "id >= 0") == NB
            client.drop_collection(restored)
        assert dropped["success"], f"Drop collection should succeed, error: {dropped['error']}"

    def test_snapshot_restore_cross_database(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        target_db, restored = unique("test_db"), unique(PREFIX + "_cross_db")
        steps.collection_with_rows(collection)
        client.create_snapshot(snapshot, collection)

        steps.create_database(target_db)
        # from the default database, naming only the target database
        job_id = client.restore_snapshot(snapshot, collection, restored, target_db_name=target_db)
        steps.use_database(target_db)
        steps.created(restored)
        steps.wait_for_restore_complete(job_id, timeout=120)

        assert restored in client.list_collections()
        steps.use_database("default")
        assert restored not in client.list_collections()
        steps.use_database(target_db)
        client.load_collection(restored)
        assert steps.count(restored, "id >= 0") == NB
        client.drop_collection(restored)

        steps.use_database("default")
        client.drop_snapshot(snapshot, collection)
        client.drop_collection(collection)
        client.drop_database(target_db)

    def test_snapshot_drop_and_restore_race(self, steps):
        client, collection, snapshot = steps.client, steps.collection_name(), unique(PREFIX)
        restored = unique(PREFIX + "_restored")
        steps.collection_with_rows(collection)
        client.create_snapshot(snapshot, collection)
        restore_result, drop_result = {"job_id": None, "error": None}, {"success": False, "error": None}

        def restore():
            try:
                restore_result["job_id"] = client.restore_snapshot(snapshot, collection, restored, timeout=60)
            except MilvusException as err:
                restore_result["error"] = str(err)

        def drop():
            try:
                client.drop_snapshot(snapshot, collection, timeout=60)
                drop_result["success"] = True
            except MilvusException as err:
                drop_result["error"] = str(err)

        steps.created(restored)
        run_threads(restore, drop)

        if restore_result["job_id"] is not None:
            try:
                steps.wait_for_restore_complete(restore_result["job_id"], timeout=120)
                client.load_collection(restored)
                assert steps.count(restored, "id >= 0") == NB
            except (AssertionError, TimeoutError, MilvusException):
                pass  # upstream logs how the restore ended
            if drop_result["error"]:
                # the restore's pin blocks the drop (PR #48143): the error names the pin or the restore
                error = drop_result["error"].lower()
                assert "pin" in error or "restor" in error, drop_result["error"]
                client.drop_snapshot(snapshot, collection)
        else:
            assert drop_result["success"], "If restore failed, drop should have succeeded"

        if restored in client.list_collections():
            client.drop_collection(restored, timeout=30)
            assert restored not in client.list_collections()
        try:
            client.drop_snapshot(snapshot, collection, timeout=30)
        except MilvusException:
            pass
