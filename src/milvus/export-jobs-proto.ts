/**
 * The proto definition this project carries for the asynchronous snapshot export RPCs.
 *
 * `@zilliz/milvus2-sdk-node` 3.0.6 bundles the older milvus.proto: ExportSnapshotResponse with only
 * `snapshot_metadata_uri` (field 2) and no GetExportSnapshotState. Released servers answer with a
 * job id instead (milvus-io/milvus-proto proto/milvus.proto, "feat: add async snapshot export job
 * APIs" #644: ExportSnapshotResponse.job_id = 3 with field 2 deprecated, ExportSnapshotState,
 * ExportSnapshotInfo, GetExportSnapshotStateRequest/Response and the GetExportSnapshotState RPC;
 * pymilvus 3.0.2 bundles the same messages). This file holds exactly those definitions, field
 * numbers as upstream, and lays them over the SDK's bundled proto JSON for the gateway. Pure
 * data. The stand-in carries its own reading of the same messages
 * (packages/milvus-standin/src/proto.ts), so a mistake here shows as a disagreement in the tests.
 */
import sdkMilvusProto from '@zilliz/milvus2-sdk-node/dist/milvus/proto-json/milvus';

type ProtoJson = { nested?: Record<string, ProtoJson> } & Record<string, unknown>;

/** Definitions in package milvus.proto.milvus, as milvus-proto's milvus.proto declares them. */
const EXPORT_JOB_DEFINITIONS: Record<string, unknown> = {
  ExportSnapshotResponse: {
    fields: {
      status: { type: 'common.Status', id: 1 },
      snapshot_metadata_uri: { type: 'string', id: 2, options: { deprecated: true } },
      job_id: { type: 'int64', id: 3 },
    },
  },
  ExportSnapshotState: {
    values: {
      ExportSnapshotNone: 0,
      ExportSnapshotPending: 1,
      ExportSnapshotExecuting: 2,
      ExportSnapshotCompleted: 3,
      ExportSnapshotFailed: 4,
    },
  },
  ExportSnapshotInfo: {
    fields: {
      job_id: { type: 'int64', id: 1 },
      snapshot_name: { type: 'string', id: 2 },
      db_name: { type: 'string', id: 3 },
      collection_name: { type: 'string', id: 4 },
      state: { type: 'ExportSnapshotState', id: 5 },
      progress: { type: 'int32', id: 6 },
      reason: { type: 'string', id: 7 },
      start_time: { type: 'uint64', id: 8 },
      time_cost: { type: 'uint64', id: 9 },
      total_files: { type: 'int64', id: 10 },
      copied_files: { type: 'int64', id: 11 },
      snapshot_metadata_uri: { type: 'string', id: 12 },
      total_bytes: { type: 'int64', id: 13 },
    },
  },
  GetExportSnapshotStateRequest: {
    fields: {
      base: { type: 'common.MsgBase', id: 1 },
      job_id: { type: 'int64', id: 2 },
    },
  },
  GetExportSnapshotStateResponse: {
    fields: {
      status: { type: 'common.Status', id: 1 },
      info: { type: 'ExportSnapshotInfo', id: 2 },
    },
  },
};

const EXPORT_JOB_METHODS: Record<string, unknown> = {
  GetExportSnapshotState: {
    requestType: 'GetExportSnapshotStateRequest',
    responseType: 'GetExportSnapshotStateResponse',
  },
};

let cached: ProtoJson | undefined;

/** The SDK's milvus.proto JSON with the export job definitions laid over it (a copy; the SDK's stays as is). */
export function milvusProtoWithExportJobs(): ProtoJson {
  if (cached) return cached;
  const root = JSON.parse(JSON.stringify(sdkMilvusProto)) as ProtoJson;
  const milvus = root.nested?.milvus?.nested?.proto?.nested?.milvus as ProtoJson | undefined;
  const service = milvus?.nested?.MilvusService as ProtoJson | undefined;
  if (!milvus?.nested || !service) throw new Error('the SDK proto has no milvus.proto.milvus.MilvusService');
  Object.assign(milvus.nested, EXPORT_JOB_DEFINITIONS);
  Object.assign(service.methods as Record<string, unknown>, EXPORT_JOB_METHODS);
  cached = root;
  return cached;
}
