/**
 * The stand-in's Milvus semantics for databases, collections and data: what exists, what is
 * growing versus sealed, what a query sees. Snapshot and restore logic lives in snapshots.ts.
 * Every mutation ends with `persist()`.
 */
import { SimClock, TsoAllocator } from './clock';
import { compileFilter, FilterParseError } from './filter';
import { MilvusCode, reasons } from './milvus-codes';
import { assertNotAlias, checkName, validateCollectionName } from './names';
import type { CollectionState, IndexDef, KeyValue, Row, Segment, StandinState } from './model';
import { DEFAULT_PARTITION, inPartitions, initialPartitions, newPartition, routeRows } from './partitions';
import type { Persistence } from './persistence';
import { decodeCollectionSchema } from './proto';
import {
  isVectorType,
  MilvusFailure,
  primaryField,
  rowsFromFieldData,
  schemaFromProto,
  validateSchema,
} from './rows';

export const DEFAULT_DB = 'default';
/** Flush completes this long after the call seals the growing segment (GetFlushState lags). */
const FLUSH_LAG_MS = 200;
/** Milvus's query result window (quotaAndLimits topK limit): offset + limit must stay within it. */
const MAX_QUERY_WINDOW = 16384;

export function freshState(): StandinState {
  const tso = (BigInt(Date.now()) << 18n).toString();
  return {
    version: 1,
    nextId: (BigInt(Date.now()) << 18n).toString(),
    lastTso: tso,
    simNowMs: Date.now(),
    databases: [{ name: DEFAULT_DB, id: '1', createdTs: tso }],
    collections: [],
    snapshots: [],
    pins: [],
    jobs: [],
  };
}

const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

export class Engine {
  readonly tso: TsoAllocator;
  readonly clock: SimClock;

  constructor(
    readonly state: StandinState,
    private readonly persistence: Persistence,
    timeScale: () => number,
  ) {
    this.tso = new TsoAllocator(BigInt(state.lastTso));
    this.clock = new SimClock(timeScale, state.simNowMs);
  }

  persist(): void {
    this.state.lastTso = this.tso.lastIssued.toString();
    this.state.simNowMs = this.clock.now();
    this.persistence.save(this.state);
  }

  allocId(): string {
    const id = BigInt(this.state.nextId) + 1n;
    this.state.nextId = id.toString();
    return id.toString();
  }

  // ---------------------------------------------------------------- databases

  resolveDb(db: string | undefined): string {
    const name = db || DEFAULT_DB;
    if (!this.state.databases.some((d) => d.name === name)) {
      throw new MilvusFailure(MilvusCode.DatabaseNotFound, reasons.databaseNotFound(name));
    }
    return name;
  }

  createDatabase(name: string): void {
    checkName('database', name);
    if (this.state.databases.some((d) => d.name === name)) {
      throw new MilvusFailure(MilvusCode.Unexpected, `database already exist: ${name}`);
    }
    this.state.databases.push({ name, id: this.allocId(), createdTs: this.tso.next().toString() });
    this.persist();
  }

  // ---------------------------------------------------------------- collections

  findCollection(db: string, name: string): CollectionState | undefined {
    return this.state.collections.find((c) => c.db === db && c.name === name);
  }

  collection(db: string | undefined, name: string): CollectionState {
    const dbName = this.resolveDb(db);
    // Every call by name also accepts an alias (proxy globalMetaCache.GetCollectionID resolves both).
    const found = this.findCollection(dbName, name) ?? this.findByAlias(dbName, name);
    if (!found)
      throw new MilvusFailure(MilvusCode.CollectionNotFound, reasons.collectionNotFoundInDb(dbName, name));
    return found;
  }

  findByAlias(db: string, alias: string): CollectionState | undefined {
    const entry = (this.state.aliases ?? []).find((a) => a.db === db && a.alias === alias);
    return entry && this.state.collections.find((c) => c.id === entry.collectionId);
  }

  createCollection(input: {
    db: string | undefined;
    name: string;
    schemaBytes: Uint8Array;
    shardsNum: number;
    consistencyLevel: string;
    properties: KeyValue[];
    numPartitions?: number;
  }): void {
    const db = this.resolveDb(input.db);
    validateCollectionName(input.name);
    const schema = schemaFromProto(decodeCollectionSchema(input.schemaBytes), input.name);
    const problem = validateSchema(schema);
    if (problem) throw invalid(problem);
    assertNotAlias(this.state, db, input.name);
    const existing = this.findCollection(db, input.name);
    if (existing) {
      if (JSON.stringify(existing.schema.fields) === JSON.stringify(schema.fields)) return;
      throw new MilvusFailure(MilvusCode.Unexpected, reasons.duplicateCollection(input.name));
    }
    this.addCollection({
      db,
      name: input.name,
      schema,
      shardsNum: input.shardsNum > 0 ? input.shardsNum : 1,
      consistencyLevel: input.consistencyLevel || 'Bounded',
      properties: input.properties,
      indexes: [],
      segments: [],
      partitionNames: initialPartitions(schema, input.numPartitions ?? 0),
    });
    this.persist();
  }

  addCollection(
    input: Pick<
      CollectionState,
      'db' | 'name' | 'schema' | 'shardsNum' | 'consistencyLevel' | 'properties' | 'indexes' | 'segments'
    > & { partitionNames?: string[] },
  ): CollectionState {
    const { partitionNames, ...fields } = input;
    const createdTs = this.tso.next().toString();
    const created: CollectionState = {
      ...fields,
      id: this.allocId(),
      createdTs,
      createdUtcMs: Date.now(),
      loaded: false,
      growing: [],
      growingSegmentId: null,
      channelCheckpoints: Array.from({ length: input.shardsNum }, () => createdTs),
    };
    created.partitions = (partitionNames ?? [DEFAULT_PARTITION]).map((n) =>
      newPartition(n, this.allocId(), this.tso.next().toString()),
    );
    this.state.collections.push(created);
    return created;
  }

  /**
   * Milvus drops a missing collection silently; its unpinned snapshots go with it, pinned ones stay
   * (unreachable by name) until GC finds them unpinned or expired
   * (rootcoord ddl_callbacks_drop_collection.go → datacoord snapshot_meta.go DropSnapshotsByCollection,
   * which skips ErrSnapshotPinned; see Snapshots.collectOrphans).
   */
  dropCollection(db: string | undefined, name: string): void {
    const dbName = this.resolveDb(db);
    if (!this.findCollection(dbName, name) && this.findByAlias(dbName, name)) {
      // internal/rootcoord drop_collection_task.go validate (fmt.Errorf: code 65535)
      throw new MilvusFailure(MilvusCode.Unexpected, `cannot drop the collection via alias = ${name}`);
    }
    const found = this.findCollection(dbName, name);
    if (!found) return;
    const aliases = (this.state.aliases ?? []).filter((a) => a.collectionId === found.id).map((a) => a.alias);
    if (aliases.length > 0) {
      // internal/rootcoord drop_collection_task.go Prepare: aliases must be dropped first
      throw new MilvusFailure(
        MilvusCode.Unexpected,
        `unable to drop the collection [${name}] because it has associated aliases [${aliases.join(' ')}], please remove all aliases before dropping the collection`,
      );
    }
    this.state.collections = this.state.collections.filter((c) => c !== found);
    const pinned = new Set(this.activePins().map((p) => p.snapshotId));
    this.state.snapshots = this.state.snapshots.filter(
      (s) => s.collectionId !== found.id || pinned.has(s.id),
    );
    this.persist();
  }

  /** Pins that have not lapsed (TTL on the simulated clock). */
  activePins() {
    const now = this.clock.now();
    return this.state.pins.filter((p) => p.expireAtSimMs === null || p.expireAtSimMs >= now);
  }

  /**
   * The collection's channel checkpoints as hybrid timestamps, one per shard. State saved before
   * checkpoints existed gets them set to now (everything sealed so far counts as persisted).
   */
  channelCheckpoints(coll: CollectionState): bigint[] {
    coll.channelCheckpoints ??= Array.from({ length: coll.shardsNum }, () => this.tso.next().toString());
    return coll.channelCheckpoints.map((ts) => BigInt(ts));
  }

  /** DataCoord persisted every channel up to `ts` (meta.go UpdateChannelCheckpoint, on flush). */
  advanceChannelCheckpoints(coll: CollectionState, ts: bigint): void {
    coll.channelCheckpoints = this.channelCheckpoints(coll).map((cp) => (cp > ts ? cp : ts).toString());
  }

  listCollections(db: string | undefined): CollectionState[] {
    const dbName = this.resolveDb(db);
    return this.state.collections.filter((c) => c.db === dbName);
  }

  loadCollection(db: string | undefined, name: string): void {
    const coll = this.collection(db, name);
    const unindexed = coll.schema.fields.find(
      (f) => isVectorType(f.data_type) && !coll.indexes.some((i) => i.fieldName === f.name),
    );
    if (unindexed) throw new MilvusFailure(MilvusCode.IndexNotFound, reasons.indexNotFound(name));
    if (coll.loaded) return;
    coll.loaded = true;
    this.persist();
  }

  releaseCollection(db: string | undefined, name: string): void {
    const coll = this.collection(db, name);
    coll.loaded = false;
    this.persist();
  }

  createIndex(
    db: string | undefined,
    name: string,
    fieldName: string,
    indexName: string,
    params: KeyValue[],
  ): void {
    const coll = this.collection(db, name);
    const field = coll.schema.fields.find((f) => f.name === fieldName);
    if (!field) throw new MilvusFailure(1700, `field not found[field=${fieldName}]`);
    // datacoord index_meta.go CanCreateIndex: one index per field, except JSON fields, which take
    // one index per json_path (several JSON-path indexes on one JSON field).
    const jsonPath = (p: KeyValue[]) => p.find((kv) => kv.key === 'json_path')?.value ?? '';
    const existing = coll.indexes.find(
      (i) =>
        i.fieldName === fieldName && (field.data_type !== 'JSON' || jsonPath(i.params) === jsonPath(params)),
    );
    const wantedName = indexName || fieldName;
    if (coll.indexes.some((i) => i !== existing && i.indexName === wantedName)) {
      throw invalid(
        `CreateIndex failed: index already exist, but parameters are inconsistent, index name ${wantedName}`,
      );
    }
    if (existing) {
      if (existing.indexName === wantedName && JSON.stringify(existing.params) === JSON.stringify(params))
        return;
      throw invalid(`CreateIndex failed: at most one distinct index is allowed per field`);
    }
    coll.indexes.push({ indexID: this.allocId(), indexName: wantedName, fieldName, params });
    this.persist();
  }

  describeIndexes(db: string | undefined, name: string, fieldName: string, indexName: string): IndexDef[] {
    const coll = this.collection(db, name);
    const found = coll.indexes.filter(
      (i) => (!fieldName || i.fieldName === fieldName) && (!indexName || i.indexName === indexName),
    );
    if (found.length === 0) throw new MilvusFailure(MilvusCode.IndexNotFound, reasons.indexNotFound(name));
    return found;
  }

  // ---------------------------------------------------------------- data

  liveRows(coll: CollectionState): Row[] {
    return [...coll.segments.flatMap((s) => s.rows), ...coll.growing];
  }

  insert(
    db: string | undefined,
    name: string,
    fieldsData: unknown[],
    numRows: number,
    upsert: boolean,
    partition = '',
  ): { ids: string[]; pkType: string } {
    const coll = this.collection(db, name);
    const pk = primaryField(coll.schema);
    const rows = rowsFromFieldData(coll.schema, fieldsData, numRows, () => this.allocId());
    routeRows(coll, rows, partition);
    const ids = rows.map((r) => String(r[pk.name]));
    if (upsert) this.removeWhere(coll, (row) => ids.includes(String(row[pk.name])));
    coll.growing.push(...rows);
    coll.growingSegmentId ??= this.allocId();
    this.persist();
    return { ids, pkType: pk.data_type };
  }

  deleteWhere(
    db: string | undefined,
    name: string,
    expr: string,
    partition = '',
  ): { ids: string[]; pkType: string } {
    const coll = this.collection(db, name);
    const pk = primaryField(coll.schema);
    const filter = this.compile(coll, expr);
    const inPartition = inPartitions(coll, [partition]);
    const removed = this.removeWhere(coll, (row) => inPartition(row) && filter.matches(row));
    this.persist();
    return { ids: removed.map((r) => String(r[pk.name])), pkType: pk.data_type };
  }

  private removeWhere(coll: CollectionState, predicate: (row: Row) => boolean): Row[] {
    const removed: Row[] = [];
    const keep = (rows: Row[]) =>
      rows.filter((row) => {
        if (!predicate(row)) return true;
        removed.push(row);
        return false;
      });
    coll.segments.forEach((s) => (s.rows = keep(s.rows)));
    coll.growing = keep(coll.growing);
    return removed;
  }

  compile(coll: CollectionState, expr: string) {
    try {
      const filter = compileFilter(expr);
      // A name outside the schema is a dynamic key ($meta["name"]) when the schema is dynamic (parser_util.go).
      const unknown = coll.schema.enable_dynamic_field
        ? undefined
        : [...filter.fields].find((f) => !coll.schema.fields.some((sf) => sf.name === f));
      if (unknown) throw invalid(`cannot parse expression: ${expr}, error: field ${unknown} not exist`);
      return filter;
    } catch (err) {
      if (err instanceof FilterParseError)
        throw invalid(`cannot parse expression: ${expr}, error: ${err.message}`);
      throw err;
    }
  }

  query(
    db: string | undefined,
    name: string,
    expr: string,
    outputFields: string[],
    limit: number | undefined,
    offset: number,
    partitionNames: string[] = [],
  ): { rows: Row[]; fields: string[]; outputNames: string[]; count: number | null } {
    const coll = this.collection(db, name);
    // proxy task_query.go queryTask.Execute wraps the shard-leader error with "failed to query".
    if (!coll.loaded)
      throw new MilvusFailure(
        MilvusCode.CollectionNotLoaded,
        `failed to query: ${reasons.collectionNotLoaded(coll.id)}`,
      );
    const filter = this.compile(coll, expr);
    if (!expr.trim() && limit === undefined && !outputFields.includes('count(*)')) {
      throw invalid('empty expression should be used with limit');
    }
    if (limit !== undefined && (limit < 1 || offset + limit > MAX_QUERY_WINDOW)) {
      throw invalid(
        `invalid max query result window, (offset+limit) should be in range [1, ${MAX_QUERY_WINDOW}], but got ${offset + limit}`,
      );
    }
    const pk = primaryField(coll.schema);
    const inPartition = inPartitions(coll, partitionNames);
    const matching = this.liveRows(coll).filter((row) => inPartition(row) && filter.matches(row));
    if (outputFields.includes('count(*)'))
      return { rows: [], fields: [], outputNames: [], count: matching.length };
    const sorted = [...matching].sort((a, b) => comparePk(a[pk.name], b[pk.name]));
    const page = sorted.slice(offset, limit === undefined ? undefined : offset + limit);
    return { rows: page, ...this.resolveOutputFields(coll, outputFields), count: null };
  }

  /**
   * internal/proxy/util.go translateOutputFields: `*` is every field; with a dynamic schema a name
   * outside it is a dynamic key, served from `$meta` and reported by its own name.
   */
  resolveOutputFields(
    coll: CollectionState,
    requested: string[],
  ): { fields: string[]; outputNames: string[] } {
    const all = coll.schema.fields.map((f) => f.name);
    const wanted = requested.includes('*') ? all : requested.filter((f) => f !== '');
    const dynamic = coll.schema.fields.find((f) => f.is_dynamic);
    const keys = wanted.filter((f) => !all.includes(f));
    if (keys.length > 0 && !dynamic) throw invalid(`field ${keys[0]} not exist`);
    const pk = primaryField(coll.schema).name;
    const schemaFields = wanted.filter((f) => all.includes(f));
    const fields = [...new Set([pk, ...schemaFields, ...(keys.length > 0 && dynamic ? [dynamic.name] : [])])];
    return { fields, outputNames: [...new Set([pk, ...wanted])] };
  }

  flush(
    db: string | undefined,
    names: string[],
  ): Map<string, { sealed: string[]; flushed: string[]; sealTime: number; flushTs: string }> {
    const result = new Map<
      string,
      { sealed: string[]; flushed: string[]; sealTime: number; flushTs: string }
    >();
    for (const name of names) {
      const coll = this.collection(db, name);
      const now = Date.now();
      const sealed: string[] = [];
      if (coll.growing.length > 0) {
        const segment: Segment = {
          id: coll.growingSegmentId ?? this.allocId(),
          rows: coll.growing,
          sealedAtMs: now,
          flushedAtMs: now + FLUSH_LAG_MS,
          sealedTs: this.tso.next().toString(),
        };
        coll.segments.push(segment);
        sealed.push(segment.id);
        coll.growing = [];
        coll.growingSegmentId = null;
      }
      const flushed = coll.segments.filter((s) => s.flushedAtMs <= now).map((s) => s.id);
      // Flush is what moves the channel checkpoints past the sealed data; inserts never do.
      const flushTs = this.tso.next();
      this.advanceChannelCheckpoints(coll, flushTs);
      result.set(name, {
        sealed,
        flushed,
        sealTime: Math.floor(now / 1000),
        flushTs: flushTs.toString(),
      });
    }
    this.persist();
    return result;
  }

  /** Flushed once every named segment's flush has completed; unknown segments count as flushed (compacted away). */
  isFlushed(segmentIds: string[], db: string | undefined, name: string, flushTs: string): boolean {
    const now = Date.now();
    const segments = this.state.collections.flatMap((c) => c.segments);
    if (segmentIds.length > 0) {
      return segmentIds.every((id) => (segments.find((s) => s.id === id)?.flushedAtMs ?? 0) <= now);
    }
    if (!name) return true;
    const coll = this.collection(db, name);
    const cutoffMs = flushTs && flushTs !== '0' ? Number(BigInt(flushTs) >> 18n) : now;
    return coll.segments.filter((s) => s.sealedAtMs <= cutoffMs).every((s) => s.flushedAtMs <= now);
  }
}

function comparePk(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string' && /^-?\d+$/.test(a) && /^-?\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
