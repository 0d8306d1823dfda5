"""Steps the conformance cases share, written for this project after what Milvus's upstream test base
does (tests/python_client/base/client_v2_base.py, common/common_func.py, check/func_check.py):
upstream's defaults (dim 128, 3000 rows, seed 19530, Strong consistency, 120 s call timeout), unique
names, a restore wait that polls once a second for at most 60 s, and the error check.
"""
import random
import string
import time

import numpy as np
import pytest
from pymilvus import DataType, MilvusClient, MilvusException
from pymilvus.exceptions import ParamError

PREFIX = "snapshot"
DIM = 128
NB = 3000
SEED = 19530
PK = "id"
VECTOR = "vector"
FLOAT = "float"  # common_type.default_float_field_name
VARCHAR = "varchar"  # common_type.default_string_field_name
TIMEOUT = 120

# Upstream's err_res check (check/func_check.py ResponseChecker.assert_exception) compares only the
# message fragment; several of its codes are placeholders no server sends (1). The code is asserted
# too where it is a merr code whose meaning is the fragment's (pkg/util/merr/errors.go:
# ErrCollectionNotFound 100, ErrParameterInvalid 1100, ErrSnapshotPinned 2601; 65535 is what merr
# reports for rootcoord's plain errors) and for pymilvus's own ParamError.
ASSERTED_SERVER_CODES = {100, 1100, 2601, 65535}


def unique(prefix):
    """common_func.gen_unique_str: the prefix plus 8 random letters and digits."""
    return prefix + "_" + "".join(random.choices(string.ascii_letters + string.digits, k=8))


def vector_rows(generator, ids, dim=DIM, extra=None):
    """Rows of the quick-setup schema: id, a random vector, and any per-row fields `extra(i)` adds."""
    return [{PK: i, VECTOR: list(generator.random(dim)), **(extra(i) if extra else {})} for i in ids]


def expect_error(call, code, fragment):
    """The call fails with a message containing `fragment` (and `code`, see ASSERTED_SERVER_CODES)."""
    with pytest.raises(MilvusException) as caught:
        call()
    err = caught.value
    assert fragment in err.message, f"expected an error containing {fragment!r}, got {err.code} {err.message!r}"
    if isinstance(err, ParamError) or code in ASSERTED_SERVER_CODES:
        assert err.code == code, f"expected code {code}, got {err.code} {err.message!r}"
    return err


def expect_permission_denied(call):
    """check/func_check.py check_permission_deny: the error says "permission deny"."""
    with pytest.raises(MilvusException) as caught:
        call()
    assert "permission deny" in caught.value.message, caught.value.message


class Steps:
    """One case's client, plus what it created so that teardown can drop it (as upstream's Base does)."""

    def __init__(self, uri, case_name, **credentials):
        self.uri = uri
        self.case_name = case_name
        self.client = MilvusClient(uri=uri, **credentials)
        self.db = "default"
        self._collections = []
        self._databases = []

    def collection_name(self):
        """common_func.gen_collection_name_by_testcase_name: the case's name, made unique."""
        return unique(self.case_name)

    def use_database(self, db_name):
        self.client.using_database(db_name)
        self.db = db_name

    def create_database(self, db_name):
        self.client.create_database(db_name, timeout=TIMEOUT)
        self._databases.append(db_name)

    def create_collection(self, name, dim=None, **kwargs):
        """client_v2_base.create_collection: quick setup when `dim` is given, else schema + index params."""
        kwargs.setdefault("consistency_level", "Strong")
        self.client.create_collection(name, dim, timeout=TIMEOUT, **kwargs)
        self.created(name)

    def created(self, name):
        """Remember a collection this case made in the current database (a restore target, say)."""
        self._collections.append((self.db, name))

    def collection_with_rows(self, name, nb=NB, dim=DIM):
        """The most common set-up upstream: quick-setup collection, `nb` seeded rows, flushed."""
        self.create_collection(name, dim)
        rows = vector_rows(rng(), range(nb), dim)
        self.client.insert(name, rows, timeout=TIMEOUT)
        self.client.flush(name, timeout=TIMEOUT)
        return rows

    def restore(self, snapshot, source, target, **kwargs):
        job_id = self.client.restore_snapshot(snapshot, source, target, timeout=TIMEOUT, **kwargs)
        self.created(target)
        return job_id

    def wait_for_restore_complete(self, job_id, timeout=60, client=None):
        """The upstream module's wait_for_restore_complete: poll each second; a failed job raises."""
        client = client or self.client
        deadline = time.time() + timeout
        while time.time() < deadline:
            state = client.get_restore_snapshot_state(job_id)
            if state.state == "RestoreSnapshotCompleted":
                return
            if state.state == "RestoreSnapshotFailed":
                raise AssertionError(f"Restore snapshot failed: {state.reason}")
            time.sleep(1)
        raise TimeoutError(f"Restore snapshot job {job_id} did not complete within {timeout}s")

    def count(self, name, filter="", **kwargs):
        rows = self.client.query(name, filter=filter, output_fields=["count(*)"], timeout=TIMEOUT, **kwargs)
        return rows[0]["count(*)"]

    def teardown(self):
        for db_name, name in reversed(self._collections):
            try:
                if db_name != self.db:
                    self.use_database(db_name)
                if self.client.has_collection(name):
                    self.client.drop_collection(name)
            except MilvusException:
                pass  # best effort, like upstream's teardown; the stand-in is discarded afterwards
        for db_name in self._databases:
            try:
                if self.db != "default":
                    self.use_database("default")
                self.client.drop_database(db_name)
            except MilvusException:
                pass
        self.client.close()



def rng(seed=SEED):
    """np.random.default_rng(seed), upstream's generator for every data set."""
    return np.random.default_rng(seed=seed)


def schema_of(client, fields, dynamic=False, auto_id=False, **kwargs):
    """create_schema + add_field for each (name, type, params), as the upstream cases build schemas."""
    schema = client.create_schema(enable_dynamic_field=dynamic, auto_id=auto_id, **kwargs)
    for name, data_type, params in fields:
        schema.add_field(name, data_type, **params)
    return schema


def index_params_of(client, *indexes):
    params = client.prepare_index_params()
    for field, options in indexes:
        params.add_index(field, **options)
    return params


def id_and_vector(vector="vector"):
    return [("id", DataType.INT64, {"is_primary": True}), (vector, DataType.FLOAT_VECTOR, {"dim": DIM})]


def snapshot_and_restore(steps, collection, load=True):
    """Snapshot the collection, restore it to a new one, wait, load it (as most cases do next);
    returns (snapshot, restored)."""
    snapshot, restored = unique(PREFIX), unique(PREFIX + "_restored")
    steps.client.create_snapshot(snapshot, collection)
    steps.wait_for_restore_complete(steps.restore(snapshot, collection, restored))
    if load:
        steps.client.load_collection(restored)
    return snapshot, restored


def cleanup(steps, snapshot, collection, restored):
    steps.client.drop_snapshot(snapshot, collection)
    steps.client.drop_collection(restored)


def insert_flushed(steps, collection, rows):
    steps.client.insert(collection, rows)
    steps.client.flush(collection)
