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
}

export interface SnapshotState {
  id: string;
  name: string;
  description: string;
  db: string;
  collection: string;
  collectionId: string;
  /** Hybrid TSO timestamp, as Milvus's SnapshotInfo.create_ts (decimal string). */
  createTs: string;
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
}
