/**
 * A gRPC client for the snapshot DR RPCs the SDK has no methods for (RestoreExternalSnapshot,
 * ExportSnapshot, GetExportSnapshotState), built from the carried proto (export-jobs-proto.ts) and
 * the gateway's connection settings: the same address, TLS, token and database header the SDK's
 * client sends (the SDK's BaseClient/getAuthString: `authorization` = base64 of the token or
 * user:password, `dbname` = the configured database).
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { fromJSON, type Options } from '@grpc/proto-loader';
import type * as protobuf from 'protobufjs';
import { milvusProtoWithExportJobs } from './export-jobs-proto';

/** The SDK's loader options (GrpcClient LOADER_OPTIONS): int64 as strings, enums by name. */
const LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};
const SERVICE_PATH = ['milvus', 'proto', 'milvus', 'MilvusService'];

/** TLS files for the Milvus connection (the SDK client's and this one's). */
export interface MilvusTlsFiles {
  /** CA bundle that signed the server certificate (one-way TLS). */
  rootCertPath?: string;
  /** Client certificate and key, for mutual TLS. */
  certChainPath?: string;
  privateKeyPath?: string;
  /** Overrides the name checked against the server certificate. */
  serverName?: string;
}

export type DrMethod = 'RestoreExternalSnapshot' | 'ExportSnapshot' | 'GetExportSnapshotState';

export interface SnapshotDrClientConfig {
  address: string;
  token?: string;
  db?: string;
  tls?: boolean | MilvusTlsFiles;
  timeoutMs: number;
  channelOptions?: grpc.ChannelOptions;
}

function credentialsFor(tls: boolean | MilvusTlsFiles | undefined, address: string): grpc.ChannelCredentials {
  if (!tls && !/^https:\/\//.test(address)) return grpc.credentials.createInsecure();
  if (tls === true || tls === undefined || tls === false) return grpc.credentials.createSsl();
  const read = (path?: string) => (path ? readFileSync(path) : null);
  return grpc.credentials.createSsl(
    read(tls.rootCertPath),
    read(tls.privateKeyPath),
    read(tls.certChainPath),
  );
}

let cachedService: grpc.ServiceClientConstructor | undefined;

function serviceConstructor(): grpc.ServiceClientConstructor {
  if (cachedService) return cachedService;
  const definition = fromJSON(milvusProtoWithExportJobs() as protobuf.INamespace, LOADER_OPTIONS);
  const loaded = grpc.loadPackageDefinition(definition);
  cachedService = SERVICE_PATH.reduce<unknown>(
    (node, key) => (node as Record<string, unknown>)[key],
    loaded,
  ) as grpc.ServiceClientConstructor;
  return cachedService;
}

type UnaryFn = (
  request: Record<string, unknown>,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response: Record<string, unknown>) => void,
) => void;

export class SnapshotDrClient {
  private readonly client: grpc.Client & Record<DrMethod, UnaryFn>;
  private readonly metadata = new grpc.Metadata();

  constructor(private readonly config: SnapshotDrClientConfig) {
    const Service = serviceConstructor();
    const target = config.address.replace(/^https?:\/\//, '');
    const tlsFiles = typeof config.tls === 'object' ? config.tls : undefined;
    this.client = new Service(target, credentialsFor(config.tls, config.address), {
      ...config.channelOptions,
      ...(tlsFiles?.serverName ? { 'grpc.ssl_target_name_override': tlsFiles.serverName } : {}),
    }) as unknown as grpc.Client & Record<DrMethod, UnaryFn>;
    if (config.token)
      this.metadata.set('authorization', Buffer.from(config.token, 'utf8').toString('base64'));
    this.metadata.set('dbname', config.db ?? 'default');
  }

  /** One unary call; rejects with the gRPC error (never with the request, which may hold secrets). */
  call(method: DrMethod, request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const deadline = new Date(Date.now() + this.config.timeoutMs);
    return new Promise((resolve, reject) => {
      this.client[method](request, this.metadata.clone(), { deadline }, (err, response) =>
        err ? reject(err) : resolve(response),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
