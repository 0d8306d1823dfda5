"""Upstream's RBAC class (CaseLabel.RBAC: run against a server with authorization on, as root).

Snapshot privileges (CreateSnapshot, DropSnapshot, DescribeSnapshot, ListSnapshots, RestoreSnapshot)
are collection-level since PR #48143, PinSnapshotData/UnpinSnapshotData global. Upstream marks the
three privilege-group cases xfail (milvus-io/milvus#47855: the deployed groups lack the privileges).
"""
import os
import random
import string
import time

import pytest
from pymilvus import MilvusClient

from snapshot_steps import PREFIX, Steps, expect_permission_denied, unique

ROOT_TOKEN = os.environ.get("MILVUS_CONFORMANCE_TOKEN", "root:Milvus")
GRANT_SETTLE_SECONDS = 10  # upstream sleeps this long after each grant or revoke


@pytest.fixture
def root(request):
    """A root session; afterwards every user but root and every role but admin/public is removed."""
    case = Steps(os.environ["MILVUS_CONFORMANCE_URI"], request.node.originalname, token=ROOT_TOKEN)
    yield case
    client = case.client
    for user in client.list_users():
        if user != "root":
            client.drop_user(user)
    for role in client.list_roles():
        if role not in ("admin", "public"):
            # v2 grants carry db_name "*", which only revoke_privilege_v2 matches
            for privilege in client.describe_role(role).get("privileges", []):
                client.revoke_privilege_v2(
                    role, privilege["privilege"], privilege.get("object_name", "*"), privilege.get("db_name", "*")
                )
            client.drop_role(role)
    case.teardown()


def password():
    """common_func.gen_str_by_length(contain_numbers=True): letters and digits."""
    return "".join(random.choices(string.ascii_letters + string.digits, k=8))


def user_with_role(root):
    """A new user holding a new, empty role; returns (that user's client, role name)."""
    user, role, secret = unique("snap_user"), unique("snap_role"), password()
    root.client.create_user(user, secret)
    root.client.create_role(role)
    root.client.grant_role(user, role)
    return MilvusClient(uri=root.uri, user=user, password=secret), role


def grant(root, role, privilege):
    root.client.grant_privilege_v2(role, privilege, "*", "*")


def collection_with_snapshot(root, nb=500):
    collection, snapshot = root.collection_name(), unique(PREFIX)
    root.collection_with_rows(collection, nb)
    root.client.create_snapshot(snapshot, collection)
    return collection, snapshot


class TestMilvusClientSnapshotRbac:
    def test_snapshot_create_denied_without_privilege(self, root):
        collection = root.collection_name()
        root.create_collection(collection, 128)
        user, _ = user_with_role(root)
        expect_permission_denied(lambda: user.create_snapshot(unique(PREFIX), collection))

    def test_snapshot_create_allowed_after_grant_v2(self, root):
        collection = root.collection_name()
        root.collection_with_rows(collection, 500)
        user, role = user_with_role(root)
        grant(root, role, "CreateSnapshot")
        time.sleep(GRANT_SETTLE_SECONDS)
        snapshot = unique(PREFIX)
        user.create_snapshot(snapshot, collection)
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_drop_denied_without_privilege(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, _ = user_with_role(root)
        expect_permission_denied(lambda: user.drop_snapshot(snapshot, collection))
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_drop_allowed_after_grant_v2(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, role = user_with_role(root)
        grant(root, role, "DropSnapshot")
        time.sleep(GRANT_SETTLE_SECONDS)
        user.drop_snapshot(snapshot, collection)

    def test_snapshot_list_denied_without_privilege(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, _ = user_with_role(root)
        expect_permission_denied(lambda: user.list_snapshots(collection_name=collection))
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_list_allowed_after_grant_v2(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, role = user_with_role(root)
        grant(root, role, "ListSnapshots")
        time.sleep(GRANT_SETTLE_SECONDS)
        assert snapshot in user.list_snapshots(collection_name=collection)
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_describe_denied_without_privilege(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, _ = user_with_role(root)
        expect_permission_denied(lambda: user.describe_snapshot(snapshot, collection))
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_describe_allowed_after_grant_v2(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, role = user_with_role(root)
        grant(root, role, "DescribeSnapshot")
        time.sleep(GRANT_SETTLE_SECONDS)
        assert user.describe_snapshot(snapshot, collection).name == snapshot
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_restore_denied_without_privilege(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, _ = user_with_role(root)
        expect_permission_denied(lambda: user.restore_snapshot(snapshot, collection, unique(PREFIX + "_restored")))
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_restore_allowed_after_grant_v2(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, role = user_with_role(root)
        grant(root, role, "RestoreSnapshot")
        time.sleep(GRANT_SETTLE_SECONDS)
        restored = unique(PREFIX + "_restored")
        job_id = user.restore_snapshot(snapshot, collection, restored)
        root.created(restored)
        root.wait_for_restore_complete(job_id)
        root.client.drop_snapshot(snapshot, collection)
        root.client.drop_collection(restored)

    def test_snapshot_revoke_privilege_v2_then_denied(self, root):
        collection = root.collection_name()
        root.collection_with_rows(collection, 500)
        user, role = user_with_role(root)
        grant(root, role, "CreateSnapshot")
        time.sleep(GRANT_SETTLE_SECONDS)
        snapshot = unique(PREFIX)
        user.create_snapshot(snapshot, collection)
        root.client.drop_snapshot(snapshot, collection)

        root.client.revoke_privilege_v2(role, "CreateSnapshot", "*", "*")
        time.sleep(GRANT_SETTLE_SECONDS)
        expect_permission_denied(lambda: user.create_snapshot(unique(PREFIX), collection))

    @pytest.mark.xfail(reason="milvus-io/milvus#47855: CollectionReadOnly lacks DescribeSnapshot/ListSnapshots")
    def test_snapshot_v2_privilege_group_collection_readonly(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, role = user_with_role(root)
        grant(root, role, "CollectionReadOnly")
        time.sleep(GRANT_SETTLE_SECONDS)
        assert snapshot in user.list_snapshots(collection_name=collection)
        assert user.describe_snapshot(snapshot, collection).name == snapshot
        expect_write_calls_denied(user, collection, snapshot)
        root.client.drop_snapshot(snapshot, collection)

    @pytest.mark.xfail(reason="milvus-io/milvus#47855: CollectionReadWrite lacks CreateSnapshot/DropSnapshot")
    def test_snapshot_v2_privilege_group_collection_readwrite(self, root):
        collection = root.collection_name()
        root.collection_with_rows(collection, 500)
        user, role = user_with_role(root)
        grant(root, role, "CollectionReadWrite")
        time.sleep(GRANT_SETTLE_SECONDS)
        snapshot = unique(PREFIX)
        user.create_snapshot(snapshot, collection)
        assert snapshot in user.list_snapshots(collection_name=collection)
        assert user.describe_snapshot(snapshot, collection).name == snapshot
        expect_permission_denied(lambda: user.restore_snapshot(snapshot, collection, unique(PREFIX + "_restored")))
        user.drop_snapshot(snapshot, collection)

    @pytest.mark.xfail(reason="milvus-io/milvus#47855: CollectionAdmin lacks Create/Drop/RestoreSnapshot")
    def test_snapshot_v2_privilege_group_collection_admin(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, role = user_with_role(root)
        grant(root, role, "CollectionAdmin")
        time.sleep(GRANT_SETTLE_SECONDS)
        new_snapshot = unique(PREFIX)
        user.create_snapshot(new_snapshot, collection)
        assert new_snapshot in user.list_snapshots(collection_name=collection)
        assert user.describe_snapshot(new_snapshot, collection).name == new_snapshot
        restored = unique(PREFIX + "_restored")
        job_id = user.restore_snapshot(new_snapshot, collection, restored)
        root.created(restored)
        root.wait_for_restore_complete(job_id)
        user.drop_snapshot(new_snapshot, collection)
        root.client.drop_snapshot(snapshot, collection)
        root.client.drop_collection(restored)

    def test_snapshot_admin_role_has_full_access(self, root):
        collection = root.collection_name()
        root.collection_with_rows(collection, 500)
        name, secret = unique("snap_user"), password()
        root.client.create_user(name, secret)
        root.client.grant_role(name, "admin")
        admin = MilvusClient(uri=root.uri, user=name, password=secret)

        snapshot = unique(PREFIX)
        admin.create_snapshot(snapshot, collection)
        assert snapshot in admin.list_snapshots(collection_name=collection)
        assert admin.describe_snapshot(snapshot, collection).name == snapshot
        restored = unique(PREFIX + "_restored")
        job_id = admin.restore_snapshot(snapshot, collection, restored)
        root.created(restored)
        root.wait_for_restore_complete(job_id)
        admin.drop_snapshot(snapshot, collection)
        root.client.drop_collection(restored)

    def test_snapshot_multiple_privileges_granular_v2(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, role = user_with_role(root)
        grant(root, role, "ListSnapshots")
        grant(root, role, "DescribeSnapshot")
        time.sleep(GRANT_SETTLE_SECONDS)

        assert snapshot in user.list_snapshots(collection_name=collection)
        assert user.describe_snapshot(snapshot, collection).name == snapshot
        expect_write_calls_denied(user, collection, snapshot)
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_public_role_has_no_access(self, root):
        collection, snapshot = collection_with_snapshot(root)
        name, secret = unique("snap_user"), password()
        root.client.create_user(name, secret)
        user = MilvusClient(uri=root.uri, user=name, password=secret)
        expect_permission_denied(lambda: user.create_snapshot(unique(PREFIX), collection))
        expect_permission_denied(lambda: user.list_snapshots(collection_name=collection))
        expect_permission_denied(lambda: user.describe_snapshot(snapshot, collection))
        expect_permission_denied(lambda: user.drop_snapshot(snapshot, collection))
        expect_permission_denied(lambda: user.restore_snapshot(snapshot, collection, unique(PREFIX + "_restored")))
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_pin_denied_without_privilege(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, _ = user_with_role(root)
        expect_permission_denied(lambda: user.pin_snapshot_data(snapshot, collection))
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_pin_allowed_after_grant_v2(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, role = user_with_role(root)
        grant(root, role, "PinSnapshotData")
        time.sleep(GRANT_SETTLE_SECONDS)
        pin_id = user.pin_snapshot_data(snapshot, collection, ttl_seconds=60)
        assert isinstance(pin_id, int) and pin_id > 0, f"expected a positive pin_id, got {pin_id!r}"
        root.client.unpin_snapshot_data(pin_id)
        root.client.drop_snapshot(snapshot, collection)

    def test_snapshot_unpin_denied_without_privilege(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, _ = user_with_role(root)
        # the privilege check comes before the pin lookup, so any pin id will do
        expect_permission_denied(lambda: user.unpin_snapshot_data(pin_id=123456789))
        root.client.drop_snapshot(snapshot, collection)

    def test_restore_revoke_privilege_v2_then_denied(self, root):
        collection, snapshot = collection_with_snapshot(root)
        user, role = user_with_role(root)
        grant(root, role, "RestoreSnapshot")
        time.sleep(GRANT_SETTLE_SECONDS)
        restored_ok = unique(PREFIX + "_ok")
        job_id = user.restore_snapshot(snapshot, collection, restored_ok)
        root.created(restored_ok)
        root.wait_for_restore_complete(job_id)

        root.client.revoke_privilege_v2(role, "RestoreSnapshot", "*", "*")
        time.sleep(GRANT_SETTLE_SECONDS)
        expect_permission_denied(lambda: user.restore_snapshot(snapshot, collection, unique(PREFIX + "_denied")))
        root.client.drop_snapshot(snapshot, collection)
        root.client.drop_collection(restored_ok)


def expect_write_calls_denied(user, collection, snapshot):
    expect_permission_denied(lambda: user.create_snapshot(unique(PREFIX), collection))
    expect_permission_denied(lambda: user.drop_snapshot(snapshot, collection))
    expect_permission_denied(lambda: user.restore_snapshot(snapshot, collection, unique(PREFIX + "_restored")))
