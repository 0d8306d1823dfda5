/**
 * Milvus 3.0 snapshot and restore semantics (milvus-io/milvus, read not copied). Each rule names the
 * source file and function it follows:
 * - a snapshot holds the schema, indexes and the sealed segments below its create_ts, which is the
 *   minimum channel checkpoint, so it can be earlier than the call and never holds growing data
 *   (datacoord handler.go GenSnapshot; docs/design_docs/20251114-snapshot_design.md "Acquire
 *   Snapshot Timestamp"); a collection without sealed segments gives an empty snapshot;
 * - DropSnapshot of a missing snapshot succeeds; with active pins it fails with SnapshotPinned
 *   (snapshot_manager.go DropSnapshot, snapshot_meta.go DropSnapshot);
 * - RestoreSnapshot creates the target collection, its partitions and indexes inside the call and
 *   returns a job id (snapshot_manager.go RestoreSnapshot → RestoreCollection/RestoreIndexes);
 *   the job copies segments in the background (copy_segment_checker.go).
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_DB, type Engine } from './engine';
import type { FaultConfig } from './faults';
import { MilvusCode, reasons } from './milvus-codes';
import { partitionsOf } from './partitions';
import type {
  CollectionState,
  PinState,
  RestoreJob,
  Row,
  SchemaDef,
  Segment,
  SnapshotContent,
  SnapshotState,
} from './model';
import { aliasConflict, missingParameter, validateCollectionName, validateSnapshotName } from './names';
import { MilvusFailure, primaryField } from './rows';
import { DEFAULT_STORAGE, snapshotMetadataKey, type StorageConfig } from './storage';

/** A job sits in Pending (no copy tasks yet) for this share of its duration. */
const PENDING_SHARE = 0.1;
const HOUR_MS = 3600 * 1000;
/** dataCoord.snapshot.maxCompactionProtectionSeconds (paramtable component_param.go), 7 days. */
const MAX_COMPACTION_PROTECTION_SECONDS = 604800;
/** task_snapshot.go pinSnapshotDataTask maxPinTTLSeconds, 30 days. */
const MAX_PIN_TTL_SECONDS = 30 * 24 * 3600;
/** A restore pins its source snapshot for at most 24 h (the pin taken in RestoreSnapshot Phase 0). */
const RESTORE_PIN_TTL_MS = 24 * HOUR_MS;
/** dataCoord CopySegmentJobTimeout (component_param.go): copy_segment_checker.go fails the job. */
const COPY_JOB_TIMEOUT_MS = 24 * HOUR_MS;
/** copySegmentTaskRetention 10800 s (component_param.go): finished jobs are removed after it. */
const FINISHED_JOB_RETENTION_MS = 10800 * 1000;

export type TickResult = 'none' | 'progress' | 'state';

const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Hybrid timestamp of a segment's seal; state saved before sealedTs existed uses its seal ms. */
export function sealTs(segment: Segment): bigint {
  return segment.sealedTs ? BigInt(segment.sealedTs) : BigInt(segment.sealedAtMs) << 18n;
}

export class Snapshots {
  constructor(
    private readonly engine: Engine,
    private readonly faults: () => FaultConfig,
    readonly storage: StorageConfig = DEFAULT_STORAGE,
  ) {}

  private get state() {
    return this.engine.state;
  }

  private find(coll: CollectionState, name: string): SnapshotState | undefined {
    return this.state.snapshots.find((s) => s.collectionId === coll.id && s.name === name);
  }

  private require(coll: CollectionState, name: string): SnapshotState {
    const found = this.find(coll, name);
    if (!found) throw new MilvusFailure(MilvusCode.SnapshotNotFound, reasons.snapshotNotFound(name, coll.id));
    return found;
  }

  /** task_snapshot.go createSnapshotTask.PreExecute, then snapshot_manager.go CreateSnapshot. */
  create(input: {
    db?: string;
    collection: string;
    name: string;
    description: string;
    compactionProtectionSeconds: number;
  }): void {
    validateSnapshotName(input.name);
    if (input.compactionProtectionSeconds < 0)
      throw invalid('compaction_protection_seconds must be non-negative');
    if (input.compactionProtectionSeconds > MAX_COMPACTION_PROTECTION_SECONDS)
      throw invalid(`compaction_protection_seconds must not exceed ${MAX_COMPACTION_PROTECTION_SECONDS}`);
    const coll = this.engine.collection(input.db, input.collection);
    if (this.find(coll, input.name)) throw invalid(`snapshot name ${input.name} already exists`);
    // handler.go GenSnapshot: the snapshot timestamp is the minimum channel checkpoint, and only
    // segments sealed before it belong to the snapshot; none is fine (an empty snapshot).
    const createTs = this.engine.channelCheckpoints(coll).reduce((a, b) => (a < b ? a : b));
    const sealed = coll.segments.filter((s) => s.rows.length > 0 && sealTs(s) < createTs);
    const id = this.engine.allocId();
    this.state.snapshots.push({
      id,
      name: input.name,
      description: input.description,
      db: coll.db,
      collection: coll.name,
      collectionId: coll.id,
      createTs: createTs.toString(),
      s3Location: snapshotMetadataKey(this.storage, coll.id, id),
      partitionNames: partitionsOf(coll).map((p) => p.name),
      compactionProtectionSeconds: input.compactionProtectionSeconds,
      schema: clone(coll.schema),
      shardsNum: coll.shardsNum,
      consistencyLevel: coll.consistencyLevel,
      properties: clone(coll.properties),
      indexes: clone(coll.indexes),
      segments: clone(sealed),
    });
    this.engine.persist();
  }

  /** task_snapshot.go listSnapshotsTask.PreExecute: the database is checked before the name. */
  list(db: string | undefined, collection: string): string[] {
    this.engine.resolveDb(db);
    if (!collection) throw missingParameter('collection_name is required for ListSnapshots');
    const coll = this.engine.collection(db, collection);
    return this.state.snapshots.filter((s) => s.collectionId === coll.id).map((s) => s.name);
  }

  /** The snapshot of a collection by name (SnapshotNotFound when absent). */
  get(coll: CollectionState, name: string): SnapshotState {
    return this.require(coll, name);
  }

  /** task_snapshot.go describeSnapshotTask.PreExecute. */
  describe(db: string | undefined, collection: string, name: string): SnapshotState {
    validateSnapshotName(name);
    if (!collection) throw missingParameter('collection_name is required for describe snapshot');
    return this.require(this.engine.collection(db, collection), name);
  }

  /** task_snapshot.go dropSnapshotTask.PreExecute, snapshot_manager.go DropSnapshot (idempotent). */
  drop(db: string | undefined, collection: string, name: string): void {
    validateSnapshotName(name);
    if (!collection) throw missingParameter('collection_name is required for drop snapshot');
    const coll = this.engine.collection(db, collection);
    const snapshot = this.find(coll, name);
    if (!snapshot) return;
    const active = this.engine.activePins().filter((p) => p.snapshotId === snapshot.id).length;
    if (active > 0) throw new MilvusFailure(MilvusCode.SnapshotPinned, reasons.snapshotPinned(name, active));
    this.remove(snapshot);
    this.engine.persist();
  }

  private remove(snapshot: SnapshotState): void {
    this.state.snapshots = this.state.snapshots.filter((s) => s !== snapshot);
    this.state.pins = this.state.pins.filter((p) => p.snapshotId !== snapshot.id);
  }

  /** task_snapshot.go pinSnapshotDataTask.PreExecute; ttl_seconds 0 = until unpinned. */
  pin(input: { db?: string; collection: string; name: string; ttlSeconds: number }): string {
    validateSnapshotName(input.name);
    if (!input.collection) throw missingParameter('collection_name is required for pin snapshot data');
    if (input.ttlSeconds < 0) throw invalid('ttl_seconds must be non-negative');
    if (input.ttlSeconds > MAX_PIN_TTL_SECONDS)
      throw invalid(`ttl_seconds exceeds maximum of ${MAX_PIN_TTL_SECONDS} (30 days)`);
    const snapshot = this.require(this.engine.collection(input.db, input.collection), input.name);
    const pin = this.addPin(
      snapshot.id,
      input.ttlSeconds > 0 ? this.engine.clock.now() + input.ttlSeconds * 1000 : null,
    );
    this.engine.persist();
    return pin.id;
  }

  /** task_snapshot.go unpinSnapshotDataTask.PreExecute: pin_id 0 is a missing parameter; unknown ids succeed. */
  unpin(pinId: string): void {
    if (!pinId || pinId === '0') throw missingParameter('pin_id is required for unpin snapshot data');
    const before = this.state.pins.length;
    // A job's own pin is released by the job, not by UnpinSnapshotData.
    this.state.pins = this.state.pins.filter(
      (p) => p.id !== pinId || p.restoreJobId !== undefined || p.exportJobId !== undefined,
    );
    if (this.state.pins.length === before) return;
    this.collectOrphans();
    this.engine.persist();
  }

  addPin(
    snapshotId: string,
    expireAtSimMs: number | null,
    restoreJobId?: string,
    exportJobId?: string,
  ): PinState {
    const pin: PinState = {
      id: randomPinId(),
      snapshotId,
      expireAtSimMs,
      ...(restoreJobId ? { restoreJobId } : {}),
      ...(exportJobId ? { exportJobId } : {}),
    };
    this.state.pins.push(pin);
    return pin;
  }

  /**
   * Snapshots whose collection was dropped while they were pinned, once no pin is active
   * (snapshot_meta.go DropSnapshotsByCollection skipped them; GC retries after TTL/unpin).
   */
  private collectOrphans(): boolean {
    const live = new Set(this.state.collections.map((c) => c.id));
    const pinned = new Set(this.engine.activePins().map((p) => p.snapshotId));
    const orphans = this.state.snapshots.filter((s) => !live.has(s.collectionId) && !pinned.has(s.id));
    orphans.forEach((s) => this.remove(s));
    return orphans.length > 0;
  }

  /**
   * task_snapshot.go restoreSnapshotTask.PreExecute, then snapshot_manager.go RestoreSnapshot:
   * the target (schema, shard count, properties, indexes) exists when this returns; an empty
   * target_db_name means "default". The snapshot is read first (a missing one fails before the
   * target is looked at); then RestoreCollection creates the target through rootcoord's
   * createCollectionTask, whose validateIfCollectionExists refuses an alias's name or an existing
   * collection, and RestoreSnapshot wraps that as "failed to restore collection" (code 65535). The
   * existing collection never equals the request, which adds preserve_field_ids=true to the
   * properties; so the stand-in always refuses it. (validateRestoreTargetAbsent's 1100 text belongs
   * to RestoreExternalSnapshot only.)
   */
  restore(input: {
    sourceDb?: string;
    sourceCollection: string;
    name: string;
    targetDb?: string;
    targetCollection: string;
  }): string {
    validateSnapshotName(input.name);
    if (!input.sourceCollection) throw missingParameter('collection_name is required for restore snapshot');
    if (!input.targetCollection)
      throw missingParameter('target_collection_name is required for restore snapshot');
    validateCollectionName(input.targetCollection);
    const source = this.engine.collection(input.sourceDb, input.sourceCollection);
    const snapshot = this.require(source, input.name);
    const targetDb = this.engine.resolveDb(input.targetDb || DEFAULT_DB);
    const refused =
      aliasConflict(this.engine.state, targetDb, input.targetCollection) ??
      (this.engine.findCollection(targetDb, input.targetCollection)
        ? reasons.duplicateCollection(input.targetCollection)
        : undefined);
    if (refused) throw new MilvusFailure(MilvusCode.Unexpected, `failed to restore collection: ${refused}`);
    const job = this.startRestoreJob(snapshot, {
      targetDb,
      targetCollection: input.targetCollection,
      sourceDb: source.db,
      sourceCollection: source.name,
    });
    // RestoreSnapshot Phase 0 pins the source for the job's life; RestoreExternalSnapshot does not.
    this.addPin(snapshot.id, job.startSimMs + RESTORE_PIN_TTL_MS, job.id);
    this.engine.persist();
    return job.id;
  }

  /**
   * snapshot_manager.go finishRestoreSnapshot: RestoreCollection creates the target (schema with
   * the target's name, shard count, properties, partitions) and RestoreIndexes its indexes inside
   * the call; then the copy job starts (Pending). Not loaded. The caller persists.
   */
  startRestoreJob(
    snapshot: SnapshotContent,
    input: {
      targetDb: string;
      targetCollection: string;
      sourceDb: string;
      sourceCollection: string;
      metadataUri?: string;
      embedded?: boolean;
    },
  ): RestoreJob {
    const target = this.engine.addCollection({
      db: input.targetDb,
      name: input.targetCollection,
      schema: { ...clone(snapshot.schema), name: input.targetCollection },
      shardsNum: snapshot.shardsNum,
      consistencyLevel: snapshot.consistencyLevel,
      properties: clone(snapshot.properties),
      indexes: clone(snapshot.indexes),
      segments: [],
      partitionNames: snapshot.partitionNames,
    });
    const now = this.engine.clock.now();
    const total = snapshot.segments.length;
    const job: RestoreJob = {
      id: this.engine.allocId(),
      snapshotId: snapshot.id,
      snapshotName: snapshot.name,
      sourceDb: input.sourceDb,
      sourceCollection: input.sourceCollection,
      targetDb: input.targetDb,
      targetCollection: input.targetCollection,
      targetCollectionId: target.id,
      ...(input.metadataUri === undefined ? {} : { metadataUri: input.metadataUri }),
      ...(input.embedded ? { source: clone(snapshot) } : {}),
      state: 'Pending',
      totalSegments: total,
      copiedSegments: 0,
      progress: progressOf(0, total),
      reason: '',
      startTimeMs: Date.now(),
      startSimMs: now,
      endSimMs: null,
    };
    this.state.jobs.push(job);
    return job;
  }

  /** snapshot_manager.go GetRestoreState: an unknown (or expired) job is ImportSysFailed 2101. */
  job(jobId: string): RestoreJob {
    const found = this.state.jobs.find((j) => j.id === jobId);
    if (!found) throw new MilvusFailure(MilvusCode.ImportSysFailed, reasons.restoreJobNotFound(jobId));
    return found;
  }

  /**
   * task_snapshot.go listRestoreSnapshotJobsTask + snapshot_manager.go ListRestoreJobs: the
   * database must exist (800), a named collection must exist in it (100) and filters by its id;
   * otherwise only jobs whose target collection currently lives in that database are listed.
   */
  jobs(db: string, collection: string): RestoreJob[] {
    const dbName = this.engine.resolveDb(db);
    if (collection) {
      const coll = this.engine.collection(dbName, collection);
      return this.state.jobs.filter((j) => j.targetCollectionId === coll.id);
    }
    const inDb = new Set(this.engine.listCollections(dbName).map((c) => c.id));
    return this.state.jobs.filter((j) => j.targetCollectionId !== null && inDb.has(j.targetCollectionId));
  }

  /**
   * A job's target names, resolved from its collection id on every call, empty once the collection
   * is gone (task_snapshot.go resolveCollectionNames).
   */
  targetNames(job: RestoreJob): { db: string; collection: string } {
    const coll = this.state.collections.find((c) => c.id === job.targetCollectionId);
    return coll ? { db: coll.db, collection: coll.name } : { db: '', collection: '' };
  }

  /** snapshot_manager.go calculateTimeCost: only a job with a completion time has one. */
  timeCostMs(job: RestoreJob): number {
    return job.state === 'Completed' && job.endSimMs !== null ? Math.round(job.endSimMs - job.startSimMs) : 0;
  }

  /** Advances restore jobs, expires finished ones and collects orphaned snapshots. */
  tick(): TickResult {
    let result: TickResult = 'none';
    for (const job of this.state.jobs) {
      if (job.state !== 'Pending' && job.state !== 'Executing') continue;
      const stateBefore = job.state;
      const progressBefore = job.progress;
      this.advance(job);
      if (job.state !== stateBefore) result = 'state';
      else if (job.progress !== progressBefore && result === 'none') result = 'progress';
    }
    const now = this.engine.clock.now();
    const kept = this.state.jobs.filter(
      (j) => j.endSimMs === null || now - j.endSimMs < FINISHED_JOB_RETENTION_MS,
    );
    if (kept.length !== this.state.jobs.length) {
      this.state.jobs = kept;
      result = 'state';
    }
    if (this.collectOrphans()) result = 'state';
    return result;
  }

  /**
   * copy_segment_checker.go: Pending until the copy tasks exist, then Executing; progress is
   * copied × 100 / total in whole steps (100 with no segments, snapshot_manager.go
   * calculateProgress); a job still running after CopySegmentJobTimeout fails with "timeout".
   */
  private advance(job: RestoreJob): void {
    const config = this.faults();
    const duration = Math.max(1, config.restoreDurationMs);
    const now = this.engine.clock.now();
    const elapsed = now - job.startSimMs;
    if (elapsed >= COPY_JOB_TIMEOUT_MS) return this.fail(job, 'timeout', now);
    const share = Math.min(1, elapsed / duration);
    if (job.state === 'Pending' && share >= PENDING_SHARE) job.state = 'Executing';
    if (job.state !== 'Executing') return;
    if (config.restoreFailAtPercent !== null && Math.floor(share * 100) >= config.restoreFailAtPercent) {
      return this.fail(job, config.restoreFailReason, now);
    }
    const total = job.totalSegments ?? 0;
    const copyShare = (share - PENDING_SHARE) / (1 - PENDING_SHARE);
    job.copiedSegments = share >= 1 ? total : Math.min(total, Math.floor(copyShare * total));
    job.progress = progressOf(job.copiedSegments, total);
    if (share >= 1) this.complete(job, config.corruptRestore, now);
  }

  private complete(job: RestoreJob, corrupt: boolean, now: number): void {
    // A bundle's content travels with the job; a snapshot of this cluster must still exist (an
    // external restore holds no pin, so a collected snapshot fails the copy).
    const snapshot = job.source ?? this.state.snapshots.find((s) => s.id === job.snapshotId);
    const target = this.state.collections.find((c) => c.id === job.targetCollectionId);
    if (!snapshot || !target) return this.fail(job, 'restore target or snapshot disappeared', now);
    const copied: Segment[] = clone(snapshot.segments).map((s) => ({
      ...s,
      id: this.engine.allocId(),
      sealedTs: this.engine.tso.next().toString(),
    }));
    if (corrupt)
      corruptRows(
        target.schema,
        copied.flatMap((s) => s.rows),
      );
    target.segments = copied;
    this.engine.advanceChannelCheckpoints(target, this.engine.tso.next());
    job.state = 'Completed';
    job.progress = 100;
    job.endSimMs = now;
    this.releaseJobPin(job);
  }

  /** A failed job keeps its target collection (nothing in copy_segment_checker.go drops it). */
  private fail(job: RestoreJob, reason: string, now: number): void {
    job.state = 'Failed';
    job.reason = reason;
    job.endSimMs = now;
    this.releaseJobPin(job);
  }

  private releaseJobPin(job: RestoreJob): void {
    this.state.pins = this.state.pins.filter((p) => p.restoreJobId !== job.id);
  }
}

function progressOf(copied: number, total: number): number {
  return total > 0 ? Math.floor((copied * 100) / total) : 100;
}

function randomPinId(): string {
  const id = randomBytes(8).readBigUInt64BE() >> 1n;
  return (id === 0n ? 1n : id).toString();
}

/**
 * Changes values (never keys or count) in every other row, the first included: the first vector
 * component and the first non-key scalar. Half the rows, so even a small sample notices.
 */
function corruptRows(schema: SchemaDef, rows: Row[]): void {
  const pk = primaryField(schema).name;
  const vector = schema.fields.find((f) => f.data_type === 'FloatVector');
  const scalar = schema.fields.find((f) => f.name !== pk && !f.data_type.endsWith('Vector'));
  rows.forEach((row, index) => {
    if (index % 2 !== 0) return;
    if (vector) {
      const values = [...(row[vector.name] as number[])];
      values[0] = Math.fround((values[0] ?? 0) + 0.5);
      row[vector.name] = values;
    }
    if (scalar) row[scalar.name] = alterScalar(scalar.data_type, row[scalar.name]);
  });
}

function alterScalar(dataType: string, value: unknown): unknown {
  switch (dataType) {
    case 'Int64':
      return (BigInt(String(value ?? '0')) + 1n).toString();
    case 'Int8':
    case 'Int16':
    case 'Int32':
      return Number(value ?? 0) + 1;
    case 'Float':
      return Math.fround(Number(value ?? 0) + 1.5);
    case 'Double':
      return Number(value ?? 0) + 1.5;
    case 'Bool':
      return !value;
    case 'JSON':
      return { corrupted: true, original: value ?? null };
    default: {
      const text = String(value ?? '');
      return `${text.slice(0, -1)}${text.endsWith('#') ? '%' : '#'}`;
    }
  }
}
