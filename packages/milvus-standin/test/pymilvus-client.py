"""Drives the Milvus stand-in with the unmodified pymilvus MilvusClient; prints one JSON object.

Usage: python pymilvus-client.py <host:port> <collection>. The collection must hold seeded rows.
"""
import json
import sys
import time

from pymilvus import MilvusClient, MilvusException

address, collection = sys.argv[1], sys.argv[2]
client = MilvusClient(uri=f"http://{address}")
out = {"collections": client.list_collections()}
out["count"] = client.query(collection, filter="", output_fields=["count(*)"])[0]["count(*)"]
client.create_snapshot(collection_name=collection, snapshot_name="py_snap", description="from pymilvus")
out["snapshots"] = client.list_snapshots(collection_name=collection)
info = client.describe_snapshot(snapshot_name="py_snap", collection_name=collection)
out["describe"] = {"name": info.name, "collection": info.collection_name, "description": info.description}
job = client.restore_snapshot(
    snapshot_name="py_snap", source_collection_name=collection, target_collection_name="py_restored"
)
state = None
for _ in range(200):
    state = client.get_restore_snapshot_state(job_id=job)
    if state.state in ("RestoreSnapshotCompleted", "RestoreSnapshotFailed"):
        break
    time.sleep(0.1)
out["restore"] = {"state": state.state, "progress": state.progress, "collection": state.collection_name}
client.load_collection("py_restored")
out["restoredCount"] = client.query("py_restored", filter="", output_fields=["count(*)"])[0]["count(*)"]
rows = client.query("py_restored", filter="id in [1, 2]", output_fields=["id", "vector"])
out["restoredKeys"] = sorted(row["id"] for row in rows)
out["vectorLength"] = len(rows[0]["vector"])
try:
    client.describe_snapshot(snapshot_name="missing_snap", collection_name=collection)
    out["missingError"] = None
except MilvusException as err:
    out["missingError"] = {"code": err.code, "message": err.message}
print(json.dumps(out))
