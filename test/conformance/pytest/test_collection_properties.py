"""Upstream's collection property class: description, shards, consistency level, partition key survive."""
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


def cosine_index(client):
    return index_params_of(client, ("vector", {"metric_type": "COSINE"}))


def hundred_rows():
    generator = rng()
    return [{"id": i, "vector": list(generator.random(DIM))} for i in range(100)]


class TestMilvusClientSnapshotCollectionProperties:
    def test_snapshot_with_collection_description(self, steps):
        client, collection = steps.client, steps.collection_name()
        description = "Test collection for snapshot with description preservation"
        schema = schema_of(client, id_and_vector(), description=description)
        steps.create_collection(collection, schema=schema, index_params=cosine_index(client))
        insert_flushed(steps, collection, hundred_rows())

        snapshot, restored = snapshot_and_restore(steps, collection, load=False)
        assert client.describe_collection(restored).get("description") == description
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_num_shards(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(
            collection, schema=schema_of(client, id_and_vector()), index_params=cosine_index(client), num_shards=4
        )
        insert_flushed(steps, collection, hundred_rows())
        client.describe_collection(collection)  # upstream only logs the source's shard count

        snapshot, restored = snapshot_and_restore(steps, collection, load=False)
        described = client.describe_collection(restored)
        assert (described.get("num_shards") or described.get("shards_num")) == 4
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_consistency_level(self, steps):
        client, collection = steps.client, steps.collection_name()
        steps.create_collection(
            collection,
            schema=schema_of(client, id_and_vector()),
            index_params=cosine_index(client),
            consistency_level="Bounded",
        )
        insert_flushed(steps, collection, hundred_rows())
        client.describe_collection(collection)  # upstream only logs the source's level

        snapshot, restored = snapshot_and_restore(steps, collection, load=False)
        assert client.describe_collection(restored).get("consistency_level") is not None
        cleanup(steps, snapshot, collection, restored)

    def test_snapshot_with_partition_key(self, steps):
        client, collection = steps.client, steps.collection_name()
        schema = schema_of(client, id_and_vector() + [("category", DataType.INT64, {"is_partition_key": True})])
        steps.create_collection(collection, schema=schema, index_params=cosine_index(client), num_partitions=16)
        generator = rng()
        rows = [{"id": i, "vector": list(generator.random(DIM)), "category": i % 100} for i in range(500)]
        insert_flushed(steps, collection, rows)

        snapshot, restored = snapshot_and_restore(steps, collection)
        fields = [f for f in client.describe_collection(restored).get("fields", []) if f.get("name") == "category"]
        assert len(fields) == 1
        assert fields[0].get("is_partition_key")
        assert steps.count(restored, "id >= 0") == 500
        cleanup(steps, snapshot, collection, restored)
