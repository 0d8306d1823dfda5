/**
 * One function per MilvusService RPC the stand-in implements. Each takes the decoded request (SDK
 * loader options: snake_case, int64 as strings, enums as names) and returns the response without
 * its status; failures are thrown as MilvusFailure and become a common.Status in server.ts.
 */
import { randomBytes } from 'node:crypto';
import { aliasHandlers } from './aliases';
import { tsoToUnixMs } from './clock';
import { databaseHandlers } from './databases';
import { DEFAULT_DB, type Engine } from './engine';
import { maintenanceHandlers } from './maintenance';
import { MilvusCode, reasons } from './milvus-codes';
import type { CollectionState, KeyValue, RestoreJob, Row } from './model';
import { countFieldData, fieldDataFromRows, MilvusFailure, primaryField, schemaToProto } from './rows';
import { checkName } from './names';
import { DEFAULT_PARTITION, newPartition, partitionOf, partitionsOf, requirePartition } from './partitions';
import { searchHandlers } from './search';
import type { Snapshots } from './snapshots';
import { describedLocation } from './storage';

export const STANDIN_VERSION = 'v3.0.0-standin';

/** The database from the request, else the SDK's `dbname` metadata header. */
export interface CallContext {
  metadataDb: string | undefined;
}

/** Decoded request; shapes follow the proto, checked field by field where used. */
type Req = Record<string, any>;
export type Handler = (req: Req, ctx: CallContext) => Record<string, unknown> | void;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const kvs = (v: unknown): KeyValue[] =>
  Array.isArray(v) ? v.map((kv) => ({ key: str(kv.key), value: str(kv.value) })) : [];
export const dbOf = (req: Req, ctx: CallContext): string | undefined =>
  str(req.db_name) || ctx.metadataDb || undefined;
const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

function randomInt64(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

function idsOf(ids: string[], pkType: string): Record<string, unknown> {
  return pkType === 'VarChar' ? { str_id: { data: ids } } : { int_id: { data: ids } };
}

function describeCollection(engine: Engine, coll: CollectionState): Record<string, unknown> {
  const channels = Array.from(
    { length: coll.shardsNum },
    (_, i) => `by-dev-rootcoord-dml_${i}_${coll.id}v${i}`,
  );
  return {
    schema: schemaToProto(coll.schema),
    collectionID: coll.id,
    virtual_channel_names: channels,
    physical_channel_names: channels.map((c) => c.split('_').slice(0, 3).join('_')),
    created_timestamp: coll.createdTs,
    created_utc_timestamp: String(coll.createdUtcMs),
    shards_num: coll.shardsNum,
    aliases: (engine.state.aliases ?? []).filter((a) => a.collectionId === coll.id).map((a) => a.alias),
    start_positions: [],
    consistency_level: coll.consistencyLevel,
    collection_name: coll.name,
    properties: coll.properties,
    db_name: coll.db,
    num_partitions: String(partitionsOf(coll).length),
    db_id: engine.state.databases.find((d) => d.name === coll.db)?.id ?? '1',
    update_timestamp: coll.createdTs,
    update_timestamp_str: coll.createdTs,
  };
}

/** A restore job as RestoreSnapshotInfo (task_snapshot.go getRestoreSnapshotStateTask.Execute). */
function restoreInfo(snapshots: Snapshots, job: RestoreJob): Record<string, unknown> {
  const target = snapshots.targetNames(job);
  return {
    job_id: job.id,
    snapshot_name: job.snapshotName,
    db_name: target.db,
    collection_name: target.collection,
    state: `RestoreSnapshot${job.state}`,
    progress: job.progress,
    reason: job.reason,
    start_time: String(job.startTimeMs),
    time_cost: String(snapshots.timeCostMs(job)),
  };
}

function queryParam(req: Req, key: string): string | undefined {
  return kvs(req.query_params).find((kv) => kv.key === key)?.value;
}

function connectInfo(): Record<string, unknown> {
  return {
    server_info: {
      build_tags: STANDIN_VERSION,
      build_time: new Date().toISOString(),
      git_commit: 'standin',
      go_version: 'n/a',
      deploy_mode: 'STANDALONE',
      reserved: {},
    },
    identifier: randomInt64(),
  };
}

/**
 * The partition RPCs over partitions.ts's rules (proxy task.go createPartitionTask /
 * dropPartitionTask / showPartitionsTask, rootcoord create_partition_task.go / drop_partition_task.go).
 */
function partitionHandlers(engine: Engine) {
  const coll = (req: Req, ctx: CallContext) => engine.collection(dbOf(req, ctx), str(req.collection_name));
  return {
    CreatePartition: (req: Req, ctx: CallContext) => {
      const c = coll(req, ctx);
      const name = str(req.partition_name);
      checkName('partition', name);
      if (partitionsOf(c).some((p) => p.name === name)) return;
      partitionsOf(c).push(newPartition(name, engine.allocId(), engine.tso.next().toString()));
      engine.persist();
    },
    DropPartition: (req: Req, ctx: CallContext) => {
      const c = coll(req, ctx);
      const name = str(req.partition_name);
      if (name === DEFAULT_PARTITION) throw invalid('default partition cannot be deleted');
      if (!partitionsOf(c).some((p) => p.name === name)) return;
      if (c.loaded)
        throw invalid('partition cannot be dropped, partition is loaded, please release it first');
      c.partitions = partitionsOf(c).filter((p) => p.name !== name);
      const keep = (rows: Row[]) => rows.filter((r) => partitionOf(r) !== name);
      c.segments.forEach((s) => (s.rows = keep(s.rows)));
      c.growing = keep(c.growing);
      engine.persist();
    },
    HasPartition: (req: Req, ctx: CallContext) => ({
      value: partitionsOf(coll(req, ctx)).some((p) => p.name === str(req.partition_name)),
    }),
    ShowPartitions: (req: Req, ctx: CallContext) => {
      const c = coll(req, ctx);
      const wanted = ((req.partition_names as string[] | undefined) ?? []).filter((n) => n !== '');
      const parts = partitionsOf(c).filter((p) => wanted.length === 0 || wanted.includes(p.name));
      return {
        partition_names: parts.map((p) => p.name),
        partitionIDs: parts.map((p) => p.id),
        created_timestamps: parts.map((p) => p.createdTs),
        created_utc_timestamps: parts.map((p) => String(p.createdUtcMs)),
        inMemory_percentages: parts.map(() => (c.loaded ? '100' : '0')),
      };
    },
    // Loading a partition loads the collection here: the stand-in keeps one load state per collection.
    LoadPartitions: (req: Req, ctx: CallContext) => {
      const c = coll(req, ctx);
      ((req.partition_names as string[] | undefined) ?? []).forEach((n) => requirePartition(c, n));
      engine.loadCollection(c.db, c.name);
    },
    ReleasePartitions: (req: Req, ctx: CallContext) => {
      const c = coll(req, ctx);
      ((req.partition_names as string[] | undefined) ?? []).forEach((n) => requirePartition(c, n));
      engine.releaseCollection(c.db, c.name);
    },
    GetPartitionStatistics: (req: Req, ctx: CallContext) => {
      const c = coll(req, ctx);
      const name = str(req.partition_name);
      requirePartition(c, name);
      const count = engine.liveRows(c).filter((r) => partitionOf(r) === name).length;
      return { stats: [{ key: 'row_count', value: String(count) }] };
    },
  };
}

export function buildHandlers(
  engine: Engine,
  snapshots: Snapshots,
  extra: Record<string, Handler> = {},
): Record<string, Handler> {
  const write = (req: Req, ctx: CallContext, upsert: boolean) =>
    mutation(
      engine.insert(
        dbOf(req, ctx),
        str(req.collection_name),
        req.fields_data ?? [],
        Number(req.num_rows ?? 0),
        upsert,
        str(req.partition_name),
      ),
      upsert ? 'upsert' : 'insert',
    );
  const handlers: Record<string, Handler> = {
    // ------------------------------------------------------------ connection & health
    // Like the proxy, Connect refuses a database (from the dbname header) that does not exist.
    Connect: (_req, ctx) => {
      engine.resolveDb(ctx.metadataDb);
      return connectInfo();
    },
    GetVersion: () => ({ version: STANDIN_VERSION }),
    CheckHealth: () => ({ isHealthy: true, reasons: [], quota_states: [] }),

    // ------------------------------------------------------------ databases
    CreateDatabase: (req) => engine.createDatabase(str(req.db_name)),
    ListDatabases: () => ({
      db_names: engine.state.databases.map((d) => d.name),
      created_timestamp: engine.state.databases.map((d) => d.createdTs),
      db_ids: engine.state.databases.map((d) => d.id),
    }),

    // ------------------------------------------------------------ collections
    CreateCollection: (req, ctx) =>
      engine.createCollection({
        db: dbOf(req, ctx),
        name: str(req.collection_name),
        schemaBytes: (req.schema as Buffer | null) ?? Buffer.alloc(0),
        shardsNum: Number(req.shards_num ?? 0),
        consistencyLevel: str(req.consistency_level),
        properties: kvs(req.properties),
        numPartitions: Number(req.num_partitions ?? 0),
      }),
    // rootcoord HasCollection looks the name up as an alias too (meta_table getCollectionByNameInternal).
    HasCollection: (req, ctx) => {
      const db = engine.resolveDb(dbOf(req, ctx));
      const name = str(req.collection_name);
      return { value: !!(engine.findCollection(db, name) ?? engine.findByAlias(db, name)) };
    },
    DescribeCollection: (req, ctx) => {
      const byId = str(req.collectionID) !== '' && str(req.collectionID) !== '0' && !str(req.collection_name);
      if (byId) {
        const coll = engine.state.collections.find((c) => c.id === str(req.collectionID));
        if (!coll)
          throw new MilvusFailure(
            MilvusCode.CollectionNotFound,
            reasons.collectionNotFound(str(req.collectionID)),
          );
        return describeCollection(engine, coll);
      }
      // By name, rootcoord's meta answers not found for a missing database too, and the proxy
      // rewrites the reason (proxy task.go describeCollectionTask.Execute).
      const db = dbOf(req, ctx) ?? DEFAULT_DB;
      const name = str(req.collection_name);
      const coll = engine.findCollection(db, name) ?? engine.findByAlias(db, name);
      if (!coll)
        throw new MilvusFailure(
          MilvusCode.CollectionNotFound,
          reasons.describeCollectionNotFound(db, str(req.collection_name)),
          'UnexpectedError',
        );
      return describeCollection(engine, coll);
    },
    DropCollection: (req, ctx) => engine.dropCollection(dbOf(req, ctx), str(req.collection_name)),
    ShowCollections: (req, ctx) => {
      const wanted = (req.collection_names as string[] | undefined) ?? [];
      const colls = engine
        .listCollections(dbOf(req, ctx))
        .filter((c) => wanted.length === 0 || wanted.includes(c.name));
      return {
        collection_names: colls.map((c) => c.name),
        collection_ids: colls.map((c) => c.id),
        created_timestamps: colls.map((c) => c.createdTs),
        created_utc_timestamps: colls.map((c) => String(c.createdUtcMs)),
        inMemory_percentages: colls.map((c) => (c.loaded ? '100' : '0')),
        query_service_available: colls.map((c) => c.loaded),
        shards_num: colls.map((c) => c.shardsNum),
      };
    },
    LoadCollection: (req, ctx) => engine.loadCollection(dbOf(req, ctx), str(req.collection_name)),
    ReleaseCollection: (req, ctx) => engine.releaseCollection(dbOf(req, ctx), str(req.collection_name)),
    GetLoadState: (req, ctx) => ({
      state: engine.collection(dbOf(req, ctx), str(req.collection_name)).loaded
        ? 'LoadStateLoaded'
        : 'LoadStateNotLoad',
    }),
    GetLoadingProgress: (req, ctx) => {
      const coll = engine.collection(dbOf(req, ctx), str(req.collection_name));
      if (!coll.loaded)
        throw new MilvusFailure(MilvusCode.CollectionNotLoaded, reasons.collectionNotLoaded(coll.id));
      return { progress: '100', refresh_progress: '100' };
    },
    GetCollectionStatistics: (req, ctx) => {
      const coll = engine.collection(dbOf(req, ctx), str(req.collection_name));
      return { stats: [{ key: 'row_count', value: String(engine.liveRows(coll).length) }] };
    },

    // ------------------------------------------------------------ indexes
    CreateIndex: (req, ctx) =>
      engine.createIndex(
        dbOf(req, ctx),
        str(req.collection_name),
        str(req.field_name),
        str(req.index_name),
        kvs(req.extra_params),
      ),
    DescribeIndex: (req, ctx) => {
      const coll = engine.collection(dbOf(req, ctx), str(req.collection_name));
      const rows = String(engine.liveRows(coll).length);
      return {
        index_descriptions: engine
          .describeIndexes(coll.db, coll.name, str(req.field_name), str(req.index_name))
          .map((i) => ({
            index_name: i.indexName,
            indexID: i.indexID,
            params: i.params,
            field_name: i.fieldName,
            indexed_rows: rows,
            total_rows: rows,
            state: 'Finished',
            index_state_fail_reason: '',
            pending_index_rows: '0',
          })),
      };
    },

    // ------------------------------------------------------------ data
    Insert: (req, ctx) => write(req, ctx, false),
    Upsert: (req, ctx) => write(req, ctx, true),
    Delete: (req, ctx) => {
      if (!str(req.expr).trim()) throw invalid('expr cannot be empty');
      return mutation(
        engine.deleteWhere(dbOf(req, ctx), str(req.collection_name), str(req.expr), str(req.partition_name)),
        'delete',
      );
    },
    Query: (req, ctx) => {
      const limitText = queryParam(req, 'limit');
      const offset = Number(queryParam(req, 'offset') ?? 0);
      const output = ((req.output_fields as string[] | undefined) ?? []).map((f) => f.trim());
      const db = dbOf(req, ctx);
      const name = str(req.collection_name);
      const result = engine.query(
        db,
        name,
        str(req.expr),
        output,
        limitText === undefined ? undefined : Number(limitText),
        offset,
        (req.partition_names as string[] | undefined) ?? [],
      );
      const coll = engine.collection(db, name);
      const fieldsData =
        result.count !== null
          ? [countFieldData(result.count)]
          : fieldDataFromRows(coll.schema, result.rows, result.fields);
      return {
        fields_data: fieldsData,
        collection_name: coll.name,
        output_fields: result.count !== null ? ['count(*)'] : result.outputNames,
        primary_field_name: primaryField(coll.schema).name,
      };
    },
    Flush: (req, ctx) => {
      const names = (req.collection_names as string[] | undefined) ?? [];
      const flushed = engine.flush(dbOf(req, ctx), names);
      const entries = [...flushed.entries()];
      return {
        db_name: engine.resolveDb(dbOf(req, ctx)),
        coll_segIDs: Object.fromEntries(entries.map(([n, f]) => [n, { data: f.sealed }])),
        flush_coll_segIDs: Object.fromEntries(entries.map(([n, f]) => [n, { data: f.flushed }])),
        coll_seal_times: Object.fromEntries(entries.map(([n, f]) => [n, String(f.sealTime)])),
        coll_flush_ts: Object.fromEntries(entries.map(([n, f]) => [n, f.flushTs])),
        channel_cps: {},
      };
    },
    GetFlushState: (req, ctx) => ({
      flushed: engine.isFlushed(
        ((req.segmentIDs as string[] | undefined) ?? []).map(String),
        dbOf(req, ctx),
        str(req.collection_name),
        str(req.flush_ts),
      ),
    }),
    FlushAll: (req, ctx) => {
      const db = str(req.db_name) || undefined;
      const names = engine.state.collections.filter((c) => !db || c.db === db);
      for (const dbName of new Set(names.map((c) => c.db))) {
        engine.flush(
          dbName,
          names.filter((c) => c.db === dbName).map((c) => c.name),
        );
      }
      return { flush_all_ts: engine.tso.next().toString(), flush_results: [], flush_all_msgs: {} };
    },
    GetFlushAllState: (req) => {
      const cutoffMs = tsoToUnixMs(str(req.flush_all_ts) || '0');
      const now = Date.now();
      const pending = engine.state.collections
        .flatMap((c) => c.segments)
        .some((s) => s.sealedAtMs <= cutoffMs && s.flushedAtMs > now);
      return { flushed: !pending, flush_states: [] };
    },

    // ------------------------------------------------------------ snapshots
    CreateSnapshot: (req, ctx) =>
      snapshots.create({
        db: dbOf(req, ctx),
        collection: str(req.collection_name),
        name: str(req.name),
        description: str(req.description),
        compactionProtectionSeconds: Number(req.compaction_protection_seconds ?? 0),
      }),
    ListSnapshots: (req, ctx) => ({ snapshots: snapshots.list(dbOf(req, ctx), str(req.collection_name)) }),
    DescribeSnapshot: (req, ctx) => {
      const s = snapshots.describe(dbOf(req, ctx), str(req.collection_name), str(req.name));
      return {
        name: s.name,
        description: s.description,
        collection_name: s.collection,
        partition_names: s.partitionNames,
        create_ts: s.createTs,
        // path.go BuildInstanceSnapshotURI (newer servers) or the bare key (older ones).
        s3_location: describedLocation(snapshots.storage, s.s3Location),
      };
    },
    DropSnapshot: (req, ctx) => snapshots.drop(dbOf(req, ctx), str(req.collection_name), str(req.name)),
    RestoreSnapshot: (req, ctx) => ({
      job_id: snapshots.restore({
        sourceDb: dbOf(req, ctx),
        sourceCollection: str(req.collection_name),
        name: str(req.name),
        targetDb: str(req.target_db_name) || undefined,
        targetCollection: str(req.target_collection_name),
      }),
    }),
    GetRestoreSnapshotState: (req) => ({ info: restoreInfo(snapshots, snapshots.job(str(req.job_id))) }),
    // database_interceptor.go fills an empty db_name from the dbname header, else "default".
    ListRestoreSnapshotJobs: (req, ctx) => ({
      jobs: snapshots
        .jobs(dbOf(req, ctx) ?? '', str(req.collection_name))
        .map((job) => restoreInfo(snapshots, job)),
    }),
    PinSnapshotData: (req, ctx) => ({
      pin_id: snapshots.pin({
        db: dbOf(req, ctx),
        collection: str(req.collection_name),
        name: str(req.name),
        ttlSeconds: Number(req.ttl_seconds ?? 0),
      }),
    }),
    UnpinSnapshotData: (req) => snapshots.unpin(str(req.pin_id)),

    ...databaseHandlers(engine),
    ...partitionHandlers(engine),
    ...aliasHandlers(engine),
    ...searchHandlers(engine),
    ...maintenanceHandlers(engine),
    ...extra,
  };
  return handlers;
}

function mutation(
  result: { ids: string[]; pkType: string },
  kind: 'insert' | 'upsert' | 'delete',
): Record<string, unknown> {
  const count = String(result.ids.length);
  return {
    IDs: idsOf(result.ids, result.pkType),
    succ_index: kind === 'delete' ? [] : result.ids.map((_, i) => i),
    err_index: [],
    acknowledged: false,
    insert_cnt: kind === 'insert' ? count : kind === 'upsert' ? count : '0',
    delete_cnt: kind === 'delete' ? count : '0',
    upsert_cnt: kind === 'upsert' ? count : '0',
    timestamp: String(BigInt(Date.now()) << 18n),
  };
}
