import { ConsistencyLevelEnum, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { MilvusError } from './errors';
import {
  classifyStatus,
  classifyThrown,
  type ErrorContext,
  isSuccessStatus,
  type StatusLike,
} from './classify-error';
import type {
  CollectionRef,
  CollectionSchemaInfo,
  CreateSnapshotInput,
  ExportInput,
  ExportJobInfo,
  ExternalSpec,
  FieldInfo,
  FlushResult,
  MilvusGateway,
  PinResult,
  RestoreExternalInput,
  RestoreInput,
  RestoreJobInfo,
  Row,
  SnapshotInfo,
  SnapshotRef,
} from './gateway';
import { COLLECTION_NOT_LOADED_CODE } from './milvus-codes';
import { type DrMethod, type MilvusTlsFiles, SnapshotDrClient } from './snapshot-dr-client';
import { checkMetadataUri, checkTargetPath, redactSpecSecrets, serializeExternalSpec } from './external-spec';
import { type RawExportInfo, toExportJob, toJobInfo } from './jobs';
import {
  checkCollection,
  checkDb,
  checkFieldNames,
  checkInt64Id,
  checkNonNegativeInt,
  checkPositiveInt,
  checkSnapshot,
  checkString,
} from './validate-input';

export interface MilvusGatewayConfig {
  /** host:port (or https://host:port). */
  address: string;
  /** "user:password" or an API key. Never logged. */
  token?: string;
  /** Database the client talks to when a call names none; every gateway call names one. */
  db?: string;
  /** true: TLS with the system CAs; an object: TLS with these files. */
  tls?: boolean | MilvusTlsFiles;
  /** Deadline of each RPC. */
  timeoutMs?: number;
  /** How long loadCollection waits for the load to reach 100 %. */
  loadTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_LOAD_TIMEOUT_MS = 300_000;
/**
 * grpc-js backs reconnects off exponentially up to 120 s: after a 94 s Milvus outage calls kept
 * failing with "No connection established" for a minute after Milvus was back. Capped at 1 s, the
 * channel retries (a cheap TCP connect) every second and is ready within about a second of Milvus.
 */
const RECONNECT_CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 1_000,
};
const LOAD_POLL_MS = 200;
const COUNT_FIELD = 'count(*)';
/** The SDK hands out RestoreSnapshotState by name ("RestoreSnapshotCompleted"). */
const RESTORE_STATE_PREFIX = 'RestoreSnapshot';

type Client = InstanceType<typeof MilvusClient>;

/** A response is either a common.Status itself or carries one in `status`. */
function statusOf(res: unknown): StatusLike | undefined {
  if (typeof res !== 'object' || res === null) return undefined;
  const r = res as { status?: StatusLike } & StatusLike;
  if (r.status) return r.status;
  return 'error_code' in r || 'code' in r ? r : undefined;
}

interface RawField {
  name: string;
  data_type: string;
  is_primary_key?: boolean;
  autoID?: boolean;
  type_params?: { key: string; value: unknown }[];
}

function toField(field: RawField): FieldInfo {
  return {
    name: field.name,
    dataType: String(field.data_type),
    isPrimaryKey: Boolean(field.is_primary_key),
    autoId: Boolean(field.autoID),
    typeParams: Object.fromEntries((field.type_params ?? []).map((p) => [p.key, String(p.value)])),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** MilvusGateway over @zilliz/milvus2-sdk-node: validates first, then one RPC per step. */
export class SdkMilvusGateway implements MilvusGateway {
  /** Set once GetVersion said the server has snapshot RPCs; a refusal is asked again next time. */
  private snapshotsSupported = false;

  constructor(
    private readonly client: Client,
    private readonly dr: SnapshotDrClient,
    private readonly address: string,
    private readonly loadTimeoutMs = DEFAULT_LOAD_TIMEOUT_MS,
  ) {}

  /** The version gate before every snapshot and restore RPC (see version-gate.ts). */
  private async requireSnapshots(ctx: ErrorContext): Promise<void> {
    if (this.snapshotsSupported) return;
    const { version } = await this.call({ operation: 'getVersion' }, () => this.client.getVersion());
    const problem = snapshotVersionProblem(version ?? '', this.address);
    if (problem)
      throw new MilvusError(`${ctx.operation}: ${problem}`, { kind: 'UnsupportedVersion', ...ctx });
    this.snapshotsSupported = true;
  }

  /** Runs one RPC; thrown errors and non-success statuses both become MilvusError. */
  private async call<T>(ctx: ErrorContext, rpc: () => Promise<T>): Promise<T> {
    const res = await this.send(ctx, rpc);
    const status = statusOf(res) as StatusLike;
    if (!isSuccessStatus(status)) throw classifyStatus(status, ctx);
    return res;
  }

  /** Runs one RPC and returns the response even when its status reports failure. */
  private async send<T>(ctx: ErrorContext, rpc: () => Promise<T>): Promise<T> {
    let res: T;
    try {
      res = await rpc();
    } catch (err) {
      throw classifyThrown(err, ctx);
    }
    // The SDK turns gRPC UNIMPLEMENTED into an empty response; say so instead of reading zeros.
    if (!statusOf(res)) {
      throw classifyThrown(new Error('the server sent no status (RPC not implemented?)'), ctx);
    }
    return res;
  }

  private collectionCtx(operation: string, ref: CollectionRef): ErrorContext & CollectionRef {
    const base = { operation, db: ref?.db, collection: ref?.collection };
    const db = checkDb(base, ref?.db);
    const collection = checkCollection(base, ref?.collection);
    return { operation, db, collection };
  }

  private snapshotCtx(operation: string, ref: SnapshotRef): ErrorContext & SnapshotRef {
    const ctx = this.collectionCtx(operation, ref);
    const snapshot = checkSnapshot({ ...ctx, snapshot: ref?.snapshot }, ref?.snapshot);
    return { ...ctx, snapshot };
  }

  // --- health

  async checkHealth(): Promise<{ healthy: boolean; version: string }> {
    const health = await this.call({ operation: 'checkHealth' }, () => this.client.checkHealth());
    const version = await this.call({ operation: 'getVersion' }, () => this.client.getVersion());
    return { healthy: Boolean(health.isHealthy), version: version.version ?? '' };
  }

  // --- collections

  async hasCollection(ref: CollectionRef): Promise<boolean> {
    const ctx = this.collectionCtx('hasCollection', ref);
    // SDK hasCollection maps every failure to false; describe and classify instead.
    const res = await this.send(ctx, () =>
      this.client.describeCollection({ db_name: ctx.db, collection_name: ctx.collection }),
    );
    if (isSuccessStatus(res.status)) return true;
    const err = classifyStatus(res.status, ctx);
    if (err.kind === 'CollectionNotFound') return false;
    throw err;
  }

  async describeCollection(ref: CollectionRef): Promise<CollectionSchemaInfo> {
    const ctx = this.collectionCtx('describeCollection', ref);
    const res = await this.call(ctx, () =>
      this.client.describeCollection({ db_name: ctx.db, collection_name: ctx.collection }),
    );
    return {
      db: ctx.db,
      collection: ctx.collection,
      fields: (res.schema.fields as unknown as RawField[]).map(toField),
      shardsNum: Number(res.shards_num),
      description: res.schema.description ?? '',
    };
  }

  async dropCollection(ref: CollectionRef): Promise<void> {
    const ctx = this.collectionCtx('dropCollection', ref);
    await this.call(ctx, () =>
      this.client.dropCollection({ db_name: ctx.db, collection_name: ctx.collection }),
    );
  }

  async listCollections(db: string): Promise<string[]> {
    const ctx = { operation: 'listCollections', db: checkDb({ operation: 'listCollections', db }, db) };
    const res = await this.call(ctx, () => this.client.showCollections({ db_name: ctx.db }));
    return (res.data ?? []).map((c) => c.name);
  }

  async loadCollection(ref: CollectionRef): Promise<void> {
    const ctx = this.collectionCtx('loadCollection', ref);
    const req = { db_name: ctx.db, collection_name: ctx.collection };
    // SDK loadCollection throws untyped errors while polling; poll here so failures stay typed.
    await this.call(ctx, () => this.client.loadCollectionAsync(req));
    const deadline = Date.now() + this.loadTimeoutMs;
    while (Number((await this.call(ctx, () => this.client.getLoadingProgress(req))).progress) < 100) {
      if (Date.now() > deadline) {
        throw new MilvusError(
          `loadCollection: collection "${ctx.collection}" in db "${ctx.db}" not loaded after ${this.loadTimeoutMs} ms`,
          { kind: 'DeadlineExceeded', ...ctx },
        );
      }
      await sleep(LOAD_POLL_MS);
    }
  }

  async countRows(ref: CollectionRef): Promise<number> {
    const ctx = this.collectionCtx('countRows', ref);
    // Strong consistency: a verification count must see every acknowledged write.
    const count = () =>
      this.send(ctx, () =>
        this.client.query({
          db_name: ctx.db,
          collection_name: ctx.collection,
          filter: '',
          output_fields: [COUNT_FIELD],
          consistency_level: ConsistencyLevelEnum.Strong,
        }),
      );
    let res = await count();
    if (Number(res.status.code) === COLLECTION_NOT_LOADED_CODE) {
      await this.loadCollection(ctx);
      res = await count();
    }
    if (!isSuccessStatus(res.status)) throw classifyStatus(res.status, ctx);
    return Number(res.data[0]?.[COUNT_FIELD] ?? 0);
  }

  async statisticsRowCount(ref: CollectionRef): Promise<number> {
    const ctx = this.collectionCtx('statisticsRowCount', ref);
    const res = await this.call(ctx, () =>
      this.client.getCollectionStatistics({ db_name: ctx.db, collection_name: ctx.collection }),
    );
    return Number(res.stats.find((kv) => kv.key === 'row_count')?.value ?? 0);
  }

  async query(ref: CollectionRef, filter: string, outputFields: string[], limit?: number): Promise<Row[]> {
    const ctx = this.collectionCtx('query', ref);
    const expr = checkString(ctx, 'filter', filter);
    const fields = checkFieldNames(ctx, outputFields);
    const max = limit === undefined ? undefined : checkPositiveInt(ctx, 'limit', limit);
    const res = await this.call(ctx, () =>
      this.client.query({
        db_name: ctx.db,
        collection_name: ctx.collection,
        filter: expr,
        output_fields: fields,
        ...(max === undefined ? {} : { limit: max }),
      }),
    );
    return res.data;
  }

  // --- flush

  async flush(ref: CollectionRef): Promise<FlushResult> {
    const ctx = this.collectionCtx('flush', ref);
    const res = await this.call(ctx, () =>
      this.client.flush({ db_name: ctx.db, collection_names: [ctx.collection] }),
    );
    const raw = res as unknown as {
      coll_segIDs?: Record<string, { data?: (string | number)[] }>;
      coll_flush_ts?: Record<string, string | number>;
    };
    return {
      segmentIds: (raw.coll_segIDs?.[ctx.collection]?.data ?? []).map(String),
      flushTs: String(raw.coll_flush_ts?.[ctx.collection] ?? '0'),
    };
  }

  async isFlushed(ref: CollectionRef, flush: FlushResult): Promise<boolean> {
    const ctx = this.collectionCtx('isFlushed', ref);
    const flushTs = checkInt64Id(ctx, 'flush timestamp', flush?.flushTs);
    const segmentIds = (flush?.segmentIds ?? []).map((id) => checkInt64Id(ctx, 'segment id', id));
    const res = await this.call(ctx, () =>
      this.client.getFlushState({
        db_name: ctx.db,
        collection_name: ctx.collection,
        // int64 fields go over the wire as decimal strings, which protobufjs accepts.
        segmentIDs: segmentIds as unknown as number[],
        flush_ts: flushTs as unknown as number,
      }),
    );
    return Boolean(res.flushed);
  }

  // --- snapshots

  async createSnapshot(input: CreateSnapshotInput): Promise<void> {
    const ctx = this.snapshotCtx('createSnapshot', input);
    const description =
      input.description === undefined ? '' : checkString(ctx, 'description', input.description);
    const protection =
      input.compactionProtectionSeconds === undefined
        ? undefined
        : checkNonNegativeInt(ctx, 'compaction protection seconds', input.compactionProtectionSeconds);
    await this.requireSnapshots(ctx);
    await this.call(ctx, () =>
      this.client.createSnapshot({
        db_name: ctx.db,
        collection_name: ctx.collection,
        snapshot_name: ctx.snapshot,
        description,
        ...(protection === undefined ? {} : { compaction_protection_seconds: protection }),
      }),
    );
  }

  async describeSnapshot(ref: SnapshotRef): Promise<SnapshotInfo> {
    const ctx = this.snapshotCtx('describeSnapshot', ref);
    await this.requireSnapshots(ctx);
    const res = await this.call(ctx, () =>
      this.client.describeSnapshot({
        db_name: ctx.db,
        collection_name: ctx.collection,
        snapshot_name: ctx.snapshot,
      }),
    );
    return {
      name: res.name || ctx.snapshot,
      db: ctx.db,
      collection: res.collection_name || ctx.collection,
      description: res.description ?? '',
      partitionNames: res.partition_names ?? [],
      createTs: hybridTsToEpochMs(res.create_ts),
      s3Location: res.s3_location ?? '',
    };
  }

  async listSnapshots(ref: CollectionRef): Promise<string[]> {
    const ctx = this.collectionCtx('listSnapshots', ref);
    await this.requireSnapshots(ctx);
    const res = await this.call(ctx, () =>
      this.client.listSnapshots({ db_name: ctx.db, collection_name: ctx.collection }),
    );
    return res.snapshots ?? [];
  }

  async dropSnapshot(ref: SnapshotRef): Promise<void> {
    const ctx = this.snapshotCtx('dropSnapshot', ref);
    await this.requireSnapshots(ctx);
    await this.call(ctx, () =>
      this.client.dropSnapshot({
        db_name: ctx.db,
        collection_name: ctx.collection,
        snapshot_name: ctx.snapshot,
      }),
    );
  }

  async pinSnapshot(ref: SnapshotRef, ttlSeconds: number): Promise<PinResult> {
    const ctx = this.snapshotCtx('pinSnapshot', ref);
    const ttl = checkNonNegativeInt(ctx, 'pin ttl seconds', ttlSeconds);
    await this.requireSnapshots(ctx);
    // Taken before the call: never later than the server's own now + ttl.
    const requestedAt = Date.now();
    const res = await this.call(ctx, () =>
      this.client.pinSnapshotData({
        db_name: ctx.db,
        collection_name: ctx.collection,
        snapshot_name: ctx.snapshot,
        ttl_seconds: ttl,
      }),
    );
    return {
      pinId: String(res.pin_id),
      ttlSeconds: ttl,
      expiresAt: ttl === 0 ? null : requestedAt + ttl * 1000,
    };
  }

  async unpinSnapshot(pinId: string): Promise<void> {
    const ctx: ErrorContext = { operation: 'unpinSnapshot' };
    const id = checkInt64Id(ctx, 'pin id', pinId);
    await this.requireSnapshots(ctx);
    await this.call(ctx, () => this.client.unpinSnapshotData({ pin_id: id }));
  }

  // --- restore

  async restoreSnapshot(input: RestoreInput): Promise<{ jobId: string }> {
    const source = this.snapshotCtx('restoreSnapshot', {
      db: input?.sourceDb,
      collection: input?.sourceCollection,
      snapshot: input?.snapshot,
    });
    const targetDb = checkDb(source, input.targetDb);
    const targetCollection = checkCollection(source, input.targetCollection, 'target collection name');
    await this.requireSnapshots(source);
    const res = await this.call(source, () =>
      this.client.restoreSnapshot({
        snapshot_name: source.snapshot,
        source_db_name: source.db,
        source_collection_name: source.collection,
        target_db_name: targetDb,
        target_collection_name: targetCollection,
      }),
    );
    return { jobId: String(res.job_id) };
  }

  async getRestoreState(jobId: string): Promise<RestoreJobInfo> {
    const ctx: ErrorContext = { operation: 'getRestoreState' };
    const id = checkInt64Id(ctx, 'restore job id', jobId);
    await this.requireSnapshots(ctx);
    const res = await this.call(ctx, () => this.client.getRestoreSnapshotState({ job_id: id }));
    if (!res.info) throw classifyThrown(new Error(`no info for restore job ${id}`), ctx);
    return toJobInfo(res.info, RESTORE_STATE_PREFIX);
  }

  async listRestoreJobs(filter?: Partial<CollectionRef>): Promise<RestoreJobInfo[]> {
    const ctx: ErrorContext = { operation: 'listRestoreJobs', ...filter };
    const req = {
      ...(filter?.db === undefined ? {} : { db_name: checkDb(ctx, filter.db) }),
      ...(filter?.collection === undefined
        ? {}
        : { collection_name: checkCollection(ctx, filter.collection) }),
    };
    await this.requireSnapshots(ctx);
    const res = await this.call(ctx, () => this.client.listRestoreSnapshotJobs(req));
    return (res.jobs ?? []).map((job) => toJobInfo(job, RESTORE_STATE_PREFIX));
  }

  /** Calls one DR RPC over the carried proto; Milvus's reasons come back with every secret of `spec` redacted. */
  private async drCall(
    ctx: ErrorContext,
    method: DrMethod,
    request: Record<string, unknown>,
    spec?: ExternalSpec,
  ): Promise<Record<string, unknown>> {
    try {
      return await this.call(ctx, () => this.dr.call(method, request));
    } catch (err) {
      throw redactSpecSecrets(err, spec);
    }
  }

  /** RestoreExternalSnapshot (proxy Proxy.RestoreExternalSnapshot → datacoord snapshot_manager.go RestoreExternalSnapshot). */
  async restoreExternalSnapshot(input: RestoreExternalInput): Promise<{ jobId: string }> {
    const base: ErrorContext = { operation: 'restoreExternalSnapshot' };
    const targetDb = checkDb(base, input?.targetDb);
    const ctx: ErrorContext = { ...base, db: targetDb };
    const targetCollection = checkCollection(ctx, input.targetCollection, 'target collection name');
    const metadataUri = checkMetadataUri(ctx, input.metadataUri);
    const externalSpec = serializeExternalSpec(ctx, input.externalSpec);
    await this.requireSnapshots(ctx);
    const res = await this.drCall(
      { ...ctx, collection: targetCollection },
      'RestoreExternalSnapshot',
      {
        db_name: targetDb,
        target_collection_name: targetCollection,
        snapshot_metadata_uri: metadataUri,
        external_spec: externalSpec,
      },
      input.externalSpec,
    );
    return { jobId: String(res.job_id) };
  }

  // --- export

  /** ExportSnapshot, asynchronous (snapshot_export_manager.go Submit): the job id to poll. */
  async exportSnapshot(input: ExportInput): Promise<{ jobId: string }> {
    const ctx = this.snapshotCtx('exportSnapshot', input);
    const targetPath = checkTargetPath(ctx, input.targetPath);
    const externalSpec = serializeExternalSpec(ctx, input.externalSpec);
    await this.requireSnapshots(ctx);
    const res = await this.drCall(
      ctx,
      'ExportSnapshot',
      {
        name: ctx.snapshot,
        db_name: ctx.db,
        collection_name: ctx.collection,
        target_s3_path: targetPath,
        external_spec: externalSpec,
      },
      input.externalSpec,
    );
    const jobId = String(res.job_id ?? '0');
    // A server with the older, synchronous proto answers no job id (field 3 absent).
    if (jobId === '0')
      throw new MilvusError(
        `exportSnapshot: the server answered no export job id (ExportSnapshotResponse.job_id); it predates asynchronous exports`,
        { kind: 'UnsupportedVersion', ...ctx },
      );
    return { jobId };
  }

  /** GetExportSnapshotState (snapshot_export_manager.go GetJobInfo). */
  async getExportState(jobId: string): Promise<ExportJobInfo> {
    const ctx: ErrorContext = { operation: 'getExportState' };
    const id = checkInt64Id(ctx, 'export job id', jobId);
    await this.requireSnapshots(ctx);
    const res = await this.drCall(ctx, 'GetExportSnapshotState', { job_id: id });
    if (!res.info) throw classifyThrown(new Error(`no info for export job ${id}`), ctx);
    return toExportJob(res.info as RawExportInfo);
  }

  async close(): Promise<void> {
    this.dr.close();
    await this.client.closeConnection();
  }
}

/** Builds a gateway with a real SDK client; no RPC happens until the first call. */
export function createMilvusGateway(config: MilvusGatewayConfig): SdkMilvusGateway {
  const ctx: ErrorContext = { operation: 'createMilvusGateway' };
  const address = checkString(ctx, 'address', config.address);
  if (!address)
    throw new MilvusError('createMilvusGateway: address must not be empty', {
      kind: 'InvalidArgument',
      ...ctx,
    });
  const db = config.db === undefined ? undefined : checkDb(ctx, config.db);
  const timeout = checkPositiveInt(ctx, 'timeoutMs', config.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const tlsFiles = typeof config.tls === 'object' ? config.tls : undefined;
  const client = new MilvusClient({
    address,
    token: config.token,
    database: db,
    ssl: Boolean(config.tls),
    tls: tlsFiles,
    timeout,
    channelOptions: RECONNECT_CHANNEL_OPTIONS,
    // Temporal owns retries (activity retry policy); the SDK must not multiply them.
    maxRetries: 0,
    telemetry: { enabled: false },
    // The SDK logs every request and response at debug level; keep worker logs readable.
    logLevel: 'warn',
    // Connect() would run un-awaited in the constructor and reject unhandled on a bad address.
    __SKIP_CONNECT__: true,
  });
  const loadTimeout = checkPositiveInt(ctx, 'loadTimeoutMs', config.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS);
  const dr = new SnapshotDrClient({
    address,
    token: config.token,
    db,
    tls: config.tls,
    timeoutMs: timeout,
    channelOptions: RECONNECT_CHANNEL_OPTIONS,
  });
  return new SdkMilvusGateway(client, dr, address, loadTimeout);
}

/**
 * Milvus hybrid timestamps (TSO): the physical part is Unix epoch milliseconds shifted left by 18
 * logical bits (pkg/util/tsoutil in milvus-io/milvus). DescribeSnapshot.create_ts is one of these:
 * DataCoord's GenSnapshot sets SnapshotInfo.CreateTs = int64(snapshotTs), the minimum channel
 * seek-position timestamp (internal/datacoord/handler.go), and the proxy passes it through.
 */
const LOGICAL_BITS = 18n;

/** Epoch milliseconds of a hybrid timestamp given as the SDK delivers int64 (a decimal string). */
export function hybridTsToEpochMs(ts: string | number | bigint | null | undefined): number {
  if (ts === null || ts === undefined || ts === '') return 0;
  return Number(BigInt(ts) >> LOGICAL_BITS);
}

/** The inverse, for building hybrid timestamps in tests and the stand-in. */
export function epochMsToHybridTs(ms: number): string {
  return (BigInt(Math.trunc(ms)) << LOGICAL_BITS).toString();
}

/**
 * Snapshots need Milvus 3.0: older servers answer every snapshot RPC with gRPC UNIMPLEMENTED, which
 * the SDK turns into an empty response. The gateway asks GetVersion once before its first snapshot
 * call and refuses with one line naming both versions instead.
 */
export const SNAPSHOT_MIN_MAJOR = 3;

/** Major version of a Milvus version string ("v2.3.5", "2.6.0-rc1", "v3.0.0-standin"), if it has one. */
export function majorVersion(version: string): number | undefined {
  const match = /^v?(\d+)\.\d+/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * Why this server cannot take snapshot calls, or undefined when it can. A version that does not
 * parse (a custom build) is given the benefit of the doubt: its own answers will tell.
 */
export function snapshotVersionProblem(version: string, address: string): string | undefined {
  const major = majorVersion(version);
  if (major === undefined || major >= SNAPSHOT_MIN_MAJOR) return undefined;
  return `Milvus at ${address} is ${version}; snapshots need Milvus ${SNAPSHOT_MIN_MAJOR}.0 or later`;
}
