/**
 * The one surface through which this project talks to Milvus. Activities receive a gateway by
 * dependency injection (`createActivities(gateway)`), so the same code runs against real Milvus
 * and the stand-in. Every method validates names first and throws `MilvusError` (see errors.ts)
 * on failure; callers never see raw SDK statuses.
 *
 * Timestamps are Unix epoch milliseconds (numbers); job ids and pin ids are decimal strings
 * because Milvus uses int64.
 */

export interface CollectionRef {
  db: string;
  collection: string;
}

export interface SnapshotRef extends CollectionRef {
  snapshot: string;
}

export interface CreateSnapshotInput extends SnapshotRef {
  description?: string;
  compactionProtectionSeconds?: number;
}

export interface SnapshotInfo {
  name: string;
  db: string;
  collection: string;
  description: string;
  partitionNames: string[];
  /** Creation time, epoch milliseconds. */
  createTs: number;
  s3Location: string;
}

export type RestoreState = 'None' | 'Pending' | 'Executing' | 'Completed' | 'Failed';

export interface RestoreJobInfo {
  jobId: string;
  snapshot: string;
  /** The target database and collection the job restores into. */
  db: string;
  collection: string;
  state: RestoreState;
  /** 0–100 */
  progress: number;
  /** Milvus's reason, verbatim, when state is Failed. */
  reason: string;
  /** Epoch milliseconds. */
  startTime: number;
  /** Milliseconds the job has taken so far (or in total when finished). */
  timeCostMs: number;
}

export interface RestoreInput {
  snapshot: string;
  sourceDb: string;
  sourceCollection: string;
  targetDb: string;
  targetCollection: string;
}

export interface FieldInfo {
  name: string;
  /** Milvus DataType name, e.g. "Int64", "FloatVector", "VarChar". */
  dataType: string;
  isPrimaryKey: boolean;
  autoId: boolean;
  /** Vector dimension or VarChar max length and other type params, as strings. */
  typeParams: Record<string, string>;
}

export interface CollectionSchemaInfo {
  db: string;
  collection: string;
  fields: FieldInfo[];
  shardsNum: number;
  description: string;
}

export interface FlushResult {
  /** Segment ids sealed by this flush. */
  segmentIds: string[];
  /** Milvus's flush timestamp, opaque, used to wait for the flush. */
  flushTs: string;
}

export interface PinResult {
  pinId: string;
}

/** A row as Milvus returns it from a query: field name → value. Vectors are number arrays. */
export type Row = Record<string, unknown>;

export interface MilvusGateway {
  // --- health
  checkHealth(): Promise<{ healthy: boolean; version: string }>;

  // --- collections
  hasCollection(ref: CollectionRef): Promise<boolean>;
  describeCollection(ref: CollectionRef): Promise<CollectionSchemaInfo>;
  dropCollection(ref: CollectionRef): Promise<void>;
  listCollections(db: string): Promise<string[]>;
  loadCollection(ref: CollectionRef): Promise<void>;
  /** Exact row count via `count(*)` (loads the collection if needed). */
  countRows(ref: CollectionRef): Promise<number>;
  /** Row count from collection statistics (flushed + growing, as Milvus reports it). */
  statisticsRowCount(ref: CollectionRef): Promise<number>;
  /** Query rows by a filter expression, returning the named output fields. */
  query(ref: CollectionRef, filter: string, outputFields: string[], limit?: number): Promise<Row[]>;

  // --- flush
  flush(ref: CollectionRef): Promise<FlushResult>;
  isFlushed(ref: CollectionRef, flush: FlushResult): Promise<boolean>;

  // --- snapshots
  createSnapshot(input: CreateSnapshotInput): Promise<void>;
  describeSnapshot(ref: SnapshotRef): Promise<SnapshotInfo>;
  listSnapshots(ref: CollectionRef): Promise<string[]>;
  dropSnapshot(ref: SnapshotRef): Promise<void>;
  pinSnapshot(ref: SnapshotRef, ttlSeconds: number): Promise<PinResult>;
  unpinSnapshot(pinId: string): Promise<void>;

  // --- restore
  restoreSnapshot(input: RestoreInput): Promise<{ jobId: string }>;
  getRestoreState(jobId: string): Promise<RestoreJobInfo>;
  /** All restore jobs, optionally only those of one (target) collection. */
  listRestoreJobs(filter?: Partial<CollectionRef>): Promise<RestoreJobInfo[]>;

  close(): Promise<void>;
}
