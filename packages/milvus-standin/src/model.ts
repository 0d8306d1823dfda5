/** The stand-in's persisted state. Everything here is plain JSON so a restart loses nothing. */

export interface KeyValue {
  key: string;
  value: string;
}

export interface FieldDef {
  fieldID: string;
  name: string;
  description: string;
  /** DataType enum name, e.g. "Int64", "FloatVector". */
  data_type: string;
  element_type: string;
  is_primary_key: boolean;
  autoID: boolean;
  nullable: boolean;
  is_partition_key: boolean;
  is_clustering_key: boolean;
  type_params: KeyValue[];
  index_params: KeyValue[];
  /** The `$meta` JSON field the proxy appends when enable_dynamic_field is on. */
  is_dynamic?: boolean;
}

export interface SchemaDef {
  name: string;
  description: string;
  autoID: boolean;
  enable_dynamic_field: boolean;
  fields: FieldDef[];
  properties: KeyValue[];
}

/** One row, field name → value. Int64 values are decimal strings (int64 does not fit a double). */
export type Row = Record<string, unknown>;

export interface Segment {
  id: string;
  /**
   * Never changed in place once sealed: code that changes a sealed segment's rows assigns a new
   * array. Persistence stores each sealed rows array once and freezes it (persistence.ts).
   */
  rows: Row[];
  /** Real epoch ms the flush call sealed it. */
  sealedAtMs: number;
  /** Real epoch ms its flush completes (GetFlushState answers flushed from then on). */
  flushedAtMs: number;
  /** Hybrid timestamp of the seal; a snapshot holds the segments sealed before its create_ts. */
  sealedTs?: string;
}

export interface IndexDef {
  indexID: string;
  indexName: string;
  fieldName: string;
  params: KeyValue[];
}

export interface CollectionState {
  id: string;
  db: string;
  name: string;
  schema: SchemaDef;
  shardsNum: number;
  consistencyLevel: string;
  properties: KeyValue[];
  /** Hybrid TSO timestamp (decimal string) and its wall-clock ms. */
  createdTs: string;
  createdUtcMs: number;
  loaded: boolean;
  indexes: IndexDef[];
  /** Sealed segments: rows a snapshot can capture. */
  segments: Segment[];
  /** Rows inserted since the last flush (the growing segment). */
  growing: Row[];
  growingSegmentId: string | null;
  /**
   * One checkpoint (hybrid timestamp) per shard channel: how far DataCoord has persisted that
   * channel. It lags behind writes and advances on flush (engine.ts flush).
   */
  channelCheckpoints?: string[];
  /** Absent in state written before partitions existed: then only `_default`. */
  partitions?: PartitionState[];
}

export interface PartitionState {
  id: string;
  name: string;
  createdTs: string;
  createdUtcMs: number;
}

export interface AliasState {
  db: string;
  alias: string;
  collectionId: string;
}

/** What a restore copies: a snapshot's definition and sealed segments. */
export type SnapshotContent = Pick<
  SnapshotState,
  | 'id'
  | 'name'
  | 'description'
  | 'collectionId'
  | 'createTs'
  | 'partitionNames'
  | 'schema'
  | 'shardsNum'
  | 'consistencyLevel'
  | 'properties'
  | 'indexes'
  | 'segments'
>;

export interface SnapshotState {
  id: string;
  name: string;
  description: string;
  db: string;
  collection: string;
  collectionId: string;
  /** Hybrid TSO timestamp, as Milvus's SnapshotInfo.create_ts (decimal string). */
  createTs: string;
  /** The metadata object key in the cluster's bucket, as the catalog stores it (storage.ts). */
  s3Location: string;
  partitionNames: string[];
  compactionProtectionSeconds: number;
  schema: SchemaDef;
  shardsNum: number;
  consistencyLevel: string;
  properties: KeyValue[];
  indexes: IndexDef[];
  segments: Segment[];
}

export interface PinState {
  id: string;
  snapshotId: string;
  /** Simulated-clock ms when the pin lapses; null = until unpinned. */
  expireAtSimMs: number | null;
  /** Set for the pins a restore job holds on its snapshot. */
  restoreJobId?: string;
  /** Set for the pin an export job holds on its snapshot (snapshot_export_manager.go Submit). */
  exportJobId?: string;
}

export type ExportStateName = 'Pending' | 'Executing' | 'Completed' | 'Failed';

/** datapb.ExportSnapshotJob as the stand-in keeps it (never with the request's external_spec). */
export interface ExportJob {
  id: string;
  snapshotId: string;
  snapshotName: string;
  db: string;
  collection: string;
  targetPath: string;
  /** The bucket the bundle goes to, and the bundle root key (`<target>/exports/<uuid>`). */
  bucket: string;
  root: string;
  state: ExportStateName;
  progress: number;
  reason: string;
  totalFiles: number;
  copiedFiles: number;
  metadataUri: string;
  totalBytes: number;
  /** Real epoch ms the job was accepted (start_time). */
  startTimeMs: number;
  /** Simulated-clock ms: accepted, deadline, copy started, finished. */
  startSimMs: number;
  deadlineSimMs: number;
  copyStartSimMs: number | null;
  endSimMs: number | null;
}

export type RestoreStateName = 'Pending' | 'Executing' | 'Completed' | 'Failed';

export interface RestoreJob {
  id: string;
  snapshotId: string;
  snapshotName: string;
  sourceDb: string;
  sourceCollection: string;
  targetDb: string;
  targetCollection: string;
  targetCollectionId: string | null;
  /**
   * RestoreExternalSnapshot: the metadata URI it restores from, and the snapshot content when it
   * came from a bundle (a snapshot of this cluster is read from `snapshotId` as for RestoreSnapshot).
   */
  metadataUri?: string;
  source?: SnapshotContent;
  state: RestoreStateName;
  /** Segments to copy and copied so far (copy_segment_job.go TotalSegments / CopiedSegments). */
  totalSegments?: number;
  copiedSegments?: number;
  progress: number;
  reason: string;
  /** Real epoch ms the job was accepted. */
  startTimeMs: number;
  /** Simulated-clock ms the job was accepted and finished. */
  startSimMs: number;
  endSimMs: number | null;
}

export interface DatabaseState {
  name: string;
  id: string;
  createdTs: string;
}

export interface StandinState {
  version: 1;
  nextId: string;
  lastTso: string;
  simNowMs: number;
  databases: DatabaseState[];
  collections: CollectionState[];
  snapshots: SnapshotState[];
  pins: PinState[];
  jobs: RestoreJob[];
  /** Absent in state written before aliases existed. */
  aliases?: AliasState[];
  /** Absent in state written before exports existed. */
  exports?: ExportJob[];
}
