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
  /**
   * DescribeSnapshotResponse.s3_location: where the snapshot's metadata file lives, the URI that
   * `restoreExternalSnapshot` takes after a DropCollection. Newer servers answer a full URI
   * (`minio://host:port/bucket/key`, storage/path.go BuildInstanceSnapshotURI), older ones the
   * object key under the root path; RestoreExternalSnapshot accepts both
   * (snapshotio/storage/path.go parseForeignURI: a key without `://` is read from the cluster's
   * own bucket). Passed on verbatim; `parseMetadataUri` (metadata-uri.ts) reads it.
   */
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
  /** The TTL asked for: 0 = until unpinned, else ≤ 2,592,000 (30 days). */
  ttlSeconds: number;
  /**
   * When the pin lapses (epoch ms), or null for ttl 0. Milvus does not return it
   * (PinSnapshotDataResponse has only pin_id); the gateway takes the time just before the call,
   * so this is never later than the server's own expiry (snapshot_meta.go: now + ttl).
   */
  expiresAt: number | null;
}

/**
 * ExternalSpec JSON (pkg/util/externalspec): snapshot APIs read only its `extfs` section, a
 * string → string map (access_key_id, access_key_value, use_iam "true", region, cloud_provider,
 * bucket_name, use_ssl, …). Omitted or empty = the cluster's own storage credentials. The
 * values are secrets: the gateway never puts them in an error or log.
 */
export interface ExternalSpec {
  extfs: Record<string, string>;
}

/** RestoreExternalSnapshotRequest: restore a snapshot by its metadata URI into a new collection. */
export interface RestoreExternalInput {
  /** DescribeSnapshot's s3_location or an export's snapshot_metadata_uri. */
  metadataUri: string;
  externalSpec?: ExternalSpec;
  targetDb: string;
  targetCollection: string;
}

/** ExportSnapshotRequest: copy a snapshot and every file it references into a bundle. */
export interface ExportInput extends SnapshotRef {
  /** target_s3_path: the bundle root (`minio://host:port/bucket/prefix`, `s3://bucket/prefix`, or a key). */
  targetPath: string;
  externalSpec?: ExternalSpec;
}

export type ExportState = RestoreState;

/** ExportSnapshotInfo (milvus-proto master #644; pymilvus 3.0.2 bundles it). */
export interface ExportJobInfo {
  jobId: string;
  snapshot: string;
  db: string;
  collection: string;
  state: ExportState;
  /** 0–100 */
  progress: number;
  /** Milvus's reason, verbatim, when state is Failed. */
  reason: string;
  /** Epoch milliseconds. */
  startTime: number;
  timeCostMs: number;
  totalFiles: number;
  copiedFiles: number;
  /** The bundle's metadata URI; only when Completed (else ''). */
  metadataUri: string;
  /** Bytes the bundle references; only when Completed (else 0). */
  totalBytes: number;
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
  /** PinSnapshotData: ttlSeconds 0 = until unpinned, at most 2,592,000 (30 days). */
  pinSnapshot(ref: SnapshotRef, ttlSeconds: number): Promise<PinResult>;
  /** UnpinSnapshotData: an unknown or expired pin id succeeds. */
  unpinSnapshot(pinId: string): Promise<void>;

  // --- restore
  restoreSnapshot(input: RestoreInput): Promise<{ jobId: string }>;
  getRestoreState(jobId: string): Promise<RestoreJobInfo>;
  /** All restore jobs, optionally only those of one (target) collection. */
  listRestoreJobs(filter?: Partial<CollectionRef>): Promise<RestoreJobInfo[]>;
  /**
   * RestoreExternalSnapshot: an ordinary restore job (poll with getRestoreState, listed by
   * listRestoreJobs); the target is created inside the call, not loaded; the source is not pinned.
   */
  restoreExternalSnapshot(input: RestoreExternalInput): Promise<{ jobId: string }>;

  // --- export (asynchronous: ExportSnapshotResponse.job_id, then GetExportSnapshotState)
  exportSnapshot(input: ExportInput): Promise<{ jobId: string }>;
  /** Unknown or forgotten (3 h after it ended) job → MilvusError kind ExportJobNotFound. */
  getExportState(jobId: string): Promise<ExportJobInfo>;

  close(): Promise<void>;
}
