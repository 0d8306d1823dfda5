"""Cross-checks the stand-in's DR RPCs with pymilvus 3.0.2's own bundled proto; prints one JSON object.

Usage: python pymilvus-dr.py <host:port> <collection> [<export target>]. The collection must hold
seeded, flushed rows. pymilvus 3.0.2's MilvusClient has no methods for RestoreExternalSnapshot,
ExportSnapshot or GetExportSnapshotState, so those go through its generated stub (milvus_pb2_grpc)
with its messages (milvus_pb2): the stand-in's answers must decode as pymilvus's proto says.
"""
import json
import sys
import time

import grpc
from pymilvus import MilvusClient
from pymilvus.grpc_gen import milvus_pb2, milvus_pb2_grpc

address, collection = sys.argv[1], sys.argv[2]
export_target = sys.argv[3] if len(sys.argv) > 3 else None
client = MilvusClient(uri=f"http://{address}")
stub = milvus_pb2_grpc.MilvusServiceStub(grpc.insecure_channel(address))
out = {}


def wait_restore(job_id):
    for _ in range(300):
        state = client.get_restore_snapshot_state(job_id=job_id)
        if state.state in ("RestoreSnapshotCompleted", "RestoreSnapshotFailed"):
            return state
        time.sleep(0.05)
    raise RuntimeError(f"restore {job_id} did not finish")


def count(name):
    client.load_collection(name)
    return client.query(name, filter="", output_fields=["count(*)"])[0]["count(*)"]


client.create_snapshot(collection_name=collection, snapshot_name="py_dr")
info = client.describe_snapshot(snapshot_name="py_dr", collection_name=collection)
out["s3Location"] = info.s3_location
pin_id = client.pin_snapshot_data(snapshot_name="py_dr", collection_name=collection, ttl_seconds=0)

if export_target:
    res = stub.ExportSnapshot(
        milvus_pb2.ExportSnapshotRequest(name="py_dr", collection_name=collection, target_s3_path=export_target)
    )
    out["export"] = {"code": res.status.code, "jobId": res.job_id, "deprecatedUri": res.snapshot_metadata_uri}
    states = []
    for _ in range(400):
        got = stub.GetExportSnapshotState(milvus_pb2.GetExportSnapshotStateRequest(job_id=res.job_id))
        name = milvus_pb2.ExportSnapshotState.Name(got.info.state)
        if not states or states[-1] != name:
            states.append(name)
        if name in ("ExportSnapshotCompleted", "ExportSnapshotFailed"):
            break
        time.sleep(0.05)
    out["exportStates"] = states
    out["exportInfo"] = {
        "progress": got.info.progress,
        "totalFiles": got.info.total_files,
        "copiedFiles": got.info.copied_files,
        "uri": got.info.snapshot_metadata_uri,
        "totalBytes": got.info.total_bytes,
        "snapshot": got.info.snapshot_name,
        "collection": got.info.collection_name,
    }
    unknown = stub.GetExportSnapshotState(milvus_pb2.GetExportSnapshotStateRequest(job_id=42))
    out["unknownExport"] = {"code": unknown.status.code, "reason": unknown.status.reason}
    restore_uri = got.info.snapshot_metadata_uri
else:
    restore_uri = info.s3_location

client.drop_collection(collection)
res = stub.RestoreExternalSnapshot(
    milvus_pb2.RestoreExternalSnapshotRequest(
        db_name="default", target_collection_name=f"{collection}_back", snapshot_metadata_uri=restore_uri
    )
)
out["restoreExternal"] = {"code": res.status.code, "jobId": res.job_id}
state = wait_restore(res.job_id)
out["restore"] = {"state": state.state, "snapshot": state.snapshot_name, "collection": state.collection_name}
out["jobs"] = [job.job_id for job in client.list_restore_snapshot_jobs(collection_name=f"{collection}_back")]
out["restoredCount"] = count(f"{collection}_back")
client.unpin_snapshot_data(pin_id=pin_id)
print(json.dumps(out))
