/**
 * The Milvus protocol exactly as the SDK ships it: the same proto JSON and loader options, so the
 * stand-in and the unmodified SDK agree on every field name, enum spelling and int64 encoding —
 * with the asynchronous export messages released servers answer laid over it. The SDK 3.0.6
 * bundles the older synchronous ExportSnapshotResponse; milvus-io/milvus-proto proto/milvus.proto
 * ("feat: add async snapshot export job APIs", #644) has ExportSnapshotResponse.job_id = 3 with
 * field 2 deprecated, the ExportSnapshotState enum, ExportSnapshotInfo,
 * GetExportSnapshotStateRequest/Response and the GetExportSnapshotState RPC. Field numbers and
 * types as upstream declares them (checked against pymilvus 3.0.2's generated milvus_pb2, see
 * test/pymilvus-dr.test.ts); written here from that reading, shared with nothing outside this package.
 */
import * as grpc from '@grpc/grpc-js';
import { fromJSON, type Options } from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import sdkMilvusProto from '@zilliz/milvus2-sdk-node/dist/milvus/proto-json/milvus';

type ProtoJson = { nested?: Record<string, ProtoJson> } & Record<string, unknown>;
type Field = [name: string, type: string, id: number, deprecated?: 'deprecated'];

const message = (...fields: Field[]) => ({
  fields: Object.fromEntries(
    fields.map(([name, type, id, deprecated]) => [
      name,
      deprecated ? { type, id, options: { deprecated: true } } : { type, id },
    ]),
  ),
});

/** milvus-proto #644, package milvus.proto.milvus. */
const ASYNC_EXPORT: Record<string, unknown> = {
  ExportSnapshotResponse: message(
    ['status', 'common.Status', 1],
    ['snapshot_metadata_uri', 'string', 2, 'deprecated'],
    ['job_id', 'int64', 3],
  ),
  ExportSnapshotState: {
    values: Object.fromEntries(
      ['None', 'Pending', 'Executing', 'Completed', 'Failed'].map((state, i) => [
        `ExportSnapshot${state}`,
        i,
      ]),
    ),
  },
  ExportSnapshotInfo: message(
    ['job_id', 'int64', 1],
    ['snapshot_name', 'string', 2],
    ['db_name', 'string', 3],
    ['collection_name', 'string', 4],
    ['state', 'ExportSnapshotState', 5],
    ['progress', 'int32', 6],
    ['reason', 'string', 7],
    ['start_time', 'uint64', 8],
    ['time_cost', 'uint64', 9],
    ['total_files', 'int64', 10],
    ['copied_files', 'int64', 11],
    ['snapshot_metadata_uri', 'string', 12],
    ['total_bytes', 'int64', 13],
  ),
  GetExportSnapshotStateRequest: message(['base', 'common.MsgBase', 1], ['job_id', 'int64', 2]),
  GetExportSnapshotStateResponse: message(['status', 'common.Status', 1], ['info', 'ExportSnapshotInfo', 2]),
};

/** The SDK's milvus.proto JSON (a copy) with the asynchronous export definitions laid over it. */
function milvusProto(): ProtoJson {
  const root = JSON.parse(JSON.stringify(sdkMilvusProto)) as ProtoJson;
  const milvus = root.nested?.milvus?.nested?.proto?.nested?.milvus as ProtoJson | undefined;
  const service = milvus?.nested?.MilvusService as ProtoJson | undefined;
  if (!milvus?.nested || !service) throw new Error('the SDK proto has no milvus.proto.milvus.MilvusService');
  Object.assign(milvus.nested, ASYNC_EXPORT);
  (service.methods as Record<string, unknown>).GetExportSnapshotState = {
    requestType: 'GetExportSnapshotStateRequest',
    responseType: 'GetExportSnapshotStateResponse',
  };
  return root;
}

const milvusProtoJson = milvusProto();

/** Same options the SDK uses (GrpcClient LOADER_OPTIONS), so requests decode the way the SDK encodes. */
const LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

const SERVICE_PATH = ['milvus', 'proto', 'milvus', 'MilvusService'];

let cachedService: grpc.ServiceDefinition | undefined;
let cachedRoot: protobuf.Root | undefined;

export function milvusServiceDefinition(): grpc.ServiceDefinition {
  if (cachedService) return cachedService;
  const packageDefinition = fromJSON(milvusProtoJson as protobuf.INamespace, LOADER_OPTIONS);
  const grpcObject = grpc.loadPackageDefinition(packageDefinition);
  const ctor = SERVICE_PATH.reduce<unknown>(
    (node, key) => (node as Record<string, unknown>)[key],
    grpcObject,
  ) as grpc.ServiceClientConstructor;
  cachedService = ctor.service;
  return cachedService;
}

function protoRoot(): protobuf.Root {
  cachedRoot ??= protobuf.Root.fromJSON(milvusProtoJson as protobuf.INamespace);
  return cachedRoot;
}

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  bytes: Buffer as unknown as protobuf.IConversionOptions['bytes'],
};

/** CreateCollection carries its schema as serialized CollectionSchema bytes. */
export function decodeCollectionSchema(bytes: Uint8Array): Record<string, unknown> {
  const type = protoRoot().lookupType('milvus.proto.schema.CollectionSchema');
  return type.toObject(type.decode(bytes), TO_OBJECT) as Record<string, unknown>;
}

/** gRPC method name → whether it answers a bare common.Status (instead of a message with `status`). */
export function bareStatusMethods(): Set<string> {
  const service = protoRoot().lookupService(SERVICE_PATH.join('.'));
  return new Set(
    Object.values(service.methods)
      .filter((m) => m.responseType === 'common.Status')
      .map((m) => m.name),
  );
}

/** Search carries its query vectors as serialized common.PlaceholderGroup bytes. */
export function decodePlaceholderGroup(bytes: Uint8Array): Record<string, unknown> {
  const type = protoRoot().lookupType('milvus.proto.common.PlaceholderGroup');
  return type.toObject(type.decode(bytes), TO_OBJECT) as Record<string, unknown>;
}
