/**
 * The Milvus protocol exactly as the SDK ships it: the same proto JSON and loader options, so the
 * stand-in and the unmodified SDK agree on every field name, enum spelling and int64 encoding —
 * with the asynchronous export messages the project carries laid over it (milvus-proto #644:
 * ExportSnapshotResponse.job_id, GetExportSnapshotState; src/milvus/export-jobs-proto.ts), as
 * released servers answer them.
 */
import * as grpc from '@grpc/grpc-js';
import { fromJSON, type Options } from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import { milvusProtoWithExportJobs } from '../../../src/milvus/export-jobs-proto';

const milvusProtoJson = milvusProtoWithExportJobs();

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
