"""Upstream's index classes: a restored collection keeps its vector and scalar indexes and searches."""
from pymilvus import DataType

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


def vector_index_case(steps, index, search_params=None, count=1000, check_listed=False):
    """Upstream's per-index case: schema id+vector with `index`, rows, snapshot, restore, search 10."""
    client, collection = steps.client, steps.collection_name()
    steps.create_collection(
        collection, schema=schema_of(client, id_and_vector()), index_params=index_params_of(client, ("vector", index))
    )
    generator = rng()
    insert_flushed(steps, collection, [{"id": i, "vector": list(generator.random(DIM))} for i in range(count)])

    snapshot, restored = snapshot_and_restore(steps, collection, load=not check_listed)
    if check_listed:  # upstream's HNSW case lists the indexes before it loads
        assert len(client.list_indexes(restored)) > 0
        client.load_collection(restored)
    kwargs = {"search_params": search_params} if search_params else {}
    hits = client.search(restored, [list(generator.random(DIM))], limit=10, output_fields=["id"], **kwargs)
    assert len(hits[0]) == 10
    cleanup(steps, snapshot, collection, restored)


class TestMilvusClientSnapshotIndex:
    def test_snapshot_with_hnsw_index(self, steps):
        hnsw = {"metric_type": "COSINE", "index_type": "HNSW", "params": {"M": 16, "efConstruction": 200}}
        vector_index_case(steps, hnsw, count=100, check_listed=True)


class TestMilvusClientSnapshotAllIndexTypes:
    def test_snapshot_with_ivf_flat_index(self, steps):
        index = {"metric_type": "L2", "index_type": "IVF_FLAT", "params": {"nlist": 128}}
        vector_index_case(steps, index, search_params={"nprobe": 16})

    def test_snapshot_with_ivf_sq8_index(self, steps):
        index = {"metric_type": "L2", "index_type": "IVF_SQ8", "params": {"nlist": 128}}
        vector_index_case(steps, index, search_params={"nprobe": 16})

    def test_snapshot_with_ivf_pq_index(self, steps):
        index = {"metric_type": "L2", "index_type": "IVF_PQ", "params": {"nlist": 128, "m": 16, "nbits": 8}}
        vector_index_case(steps, index, search_params={"nprobe": 16})

    def test_snapshot_with_diskann_index(self, steps):
        vector_index_case(steps, {"metric_type": "L2", "index_type": "DISKANN"}, search_params={"search_list": 100})

    def test_snapshot_with_scann_index(self, steps):
        index = {"metric_type": "L2", "index_type": "SCANN", "params": {"nlist": 128}}
        vector_index_case(steps, index, search_params={"nprobe": 16})

    def test_snapshot_with_scalar_index(self, steps):
        client, collection = steps.client, steps.collection_name()
        fields = id_and_vector() + [("category", DataType.INT32, {}), ("tag", DataType.VARCHAR, {"max_length": 128})]
        index_params = index_params_of(
            client,
            ("vector", {"metric_type": "COSINE"}),
            ("category", {"index_type": "STL_SORT"}),
            ("tag", {"index_type": "INVERTED"}),
        )
        steps.create_collection(collection, schema=schema_of(client, fields), index_params=index_params)
        generator = rng()
        rows = [
            {"id": i, "vector": list(generator.random(DIM)), "category": i % 10, "tag": f"tag_{i % 5}"} for i in range(500)
        ]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        assert steps.count(restored, "category == 5") == 50
        assert steps.count(restored, "tag == 'tag_3'") == 100
        cleanup(steps, snapshot, collection, restored)
