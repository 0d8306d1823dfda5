/**
 * Milvus 3.0 snapshot semantics (datacoord snapshot_manager.go / snapshot_meta.go, read not copied):
 * - a snapshot captures the schema, indexes and the sealed segments only (CreateSnapshot never flushes);
 * - names are unique per collection; create_ts is a hybrid TSO timestamp;
 * - DropSnapshot of a missing snapshot succeeds (idempotent); with active pins it fails with
 *   SnapshotPinned, and a running restore holds a pin on its snapshot;
 * - pins without TTL last until unpinned; Unpin of an unknown pin succeeds;
 * - RestoreSnapshot refuses an existing target, creates the target when the job starts executing,
 *   drops it again when the job fails; start_time is epoch ms, time_cost is 0 until the job ends.
 */
import { randomBytes } from 'node:crypto';
import { assertNotAlias } from './aliases';
import { checkName, type Engine } from './engine';
import type { FaultConfig } from './faults';
import { MilvusCode, reasons } from './milvus-codes';
import { partitionsOf } from './partitions';
import type { CollectionState, PinState, RestoreJob, Row, SchemaDef, Segment, SnapshotState } from './model';
import { MilvusFailure, primaryField } from './rows';

/** A job sits in Pending for this share of its duration before copying starts. */
const PENDING_SHARE = 0.1;

export type TickResult = 'none' | 'progress' | 'state';

const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class Snapshots {
  constructor(
    private readonly engine: Engine,
    private readonly faults: () => FaultConfig,
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

  create(input: {
    db?: string;
    collection: string;
    name: string;
    description: string;
    compactionProtectionSeconds: number;
  }): void {
    const coll = this.engine.collection(input.db, input.collection);
    checkName('snapshot', input.name);
    if (input.compactionProtectionSeconds < 0) throw invalid('compaction_protection_seconds must be >= 0');
    if (this.find(coll, input.name)) throw invalid(`snapshot name ${input.name} already exists`);
    const sealed = coll.segments.filter((s) => s.rows.length > 0);
    if (sealed.length === 0) {
      throw invalid(
        `collection ${input.collection} has no sealed segments to snapshot, flush the collection first`,
      );
    }
    const id = this.engine.allocId();
    this.state.snapshots.push({
      id,
      name: input.name,
      description: input.description,
      db: coll.db,
      collection: coll.name,
      collectionId: coll.id,
      createTs: this.engine.tso.next().toString(),
      s3Location: `snapshots/${coll.id}/metadata/${id}.json`,
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

  list(db: string | undefined, collection: string): string[] {
    const coll = this.engine.collection(db, collection);
    return this.state.snapshots.filter((s) => s.collectionId === coll.id).map((s) => s.name);
  }

  describe(db: string | undefined, collection: string, name: string): SnapshotState {
    checkName('snapshot', name);
    return this.require(this.engine.collection(db, collection), name);
  }

  drop(db: string | undefined, collection: string, name: string): void {
    checkName('snapshot', name);
    const coll = this.engine.collection(db, collection);
    const snapshot = this.find(coll, name);
    if (!snapshot) return;
    const active = this.engine.activePins().filter((p) => p.snapshotId === snapshot.id).length;
    if (active > 0) throw new MilvusFailure(MilvusCode.SnapshotPinned, reasons.snapshotPinned(name, active));
    this.state.snapshots = this.state.snapshots.filter((s) => s !== snapshot);
    this.state.pins = this.state.pins.filter((p) => p.snapshotId !== snapshot.id);
    this.engine.persist();
  }

  pin(input: { db?: string; collection: string; name: string; ttlSeconds: number }): string {
    checkName('snapshot', input.name);
    const snapshot = this.require(this.engine.collection(input.db, input.collection), input.name);
    if (input.ttlSeconds < 0) throw invalid('ttl_seconds must be >= 0');
    const pin = this.addPin(
      snapshot.id,
      input.ttlSeconds > 0 ? this.engine.clock.now() + input.ttlSeconds * 1000 : null,
    );
    this.engine.persist();
    return pin.id;
  }

  unpin(pinId: string): void {
    const before = this.state.pins.length;
    this.state.pins = this.state.pins.filter((p) => p.id !== pinId || p.restoreJobId !== undefined);
    if (this.state.pins.length !== before) this.engine.persist();
  }

  private addPin(snapshotId: string, expireAtSimMs: number | null, restoreJobId?: string): PinState {
    const pin: PinState = {
      id: randomPinId(),
      snapshotId,
      expireAtSimMs,
      ...(restoreJobId ? { restoreJobId } : {}),
    };
    this.state.pins.push(pin);
    return pin;
  }

  restore(input: {
    sourceDb?: string;
    sourceCollection: string;
    name: string;
    targetDb?: string;
    targetCollection: string;
  }): string {
    checkName('snapshot', input.name);
    const source = this.engine.collection(input.sourceDb, input.sourceCollection);
    const snapshot = this.require(source, input.name);
    const targetDb = this.engine.resolveDb(input.targetDb || input.sourceDb);
    checkName('collection', input.targetCollection);
    assertNotAlias(this.engine, targetDb, input.targetCollection);
    const taken =
      this.engine.findCollection(targetDb, input.targetCollection) ||
      this.state.jobs.some(
        (j) =>
          j.targetDb === targetDb && j.targetCollection === input.targetCollection && j.state === 'Pending',
      );
    if (taken)
      throw invalid(`target collection ${input.targetCollection} already exists in database ${targetDb}`);
    const job: RestoreJob = {
      id: this.engine.allocId(),
      snapshotId: snapshot.id,
      snapshotName: snapshot.name,
      sourceDb: source.db,
      sourceCollection: source.name,
      targetDb,
      targetCollection: input.targetCollection,
      targetCollectionId: null,
      state: 'Pending',
      progress: 0,
      reason: '',
      startTimeMs: Date.now(),
      startSimMs: this.engine.clock.now(),
      endSimMs: null,
    };
    this.state.jobs.push(job);
    this.addPin(snapshot.id, null, job.id);
    this.engine.persist();
    return job.id;
  }

  job(jobId: string): RestoreJob {
    const found = this.state.jobs.find((j) => j.id === jobId);
    if (!found) {
      throw new MilvusFailure(
        2101,
        `restore job not found: jobID=${jobId}: importing data failed on server side`,
      );
    }
    return found;
  }

  jobs(db: string | undefined, collection: string | undefined): RestoreJob[] {
    return this.state.jobs.filter(
      (j) => (!db || j.targetDb === db) && (!collection || j.targetCollection === collection),
    );
  }

  /** Advances running restore jobs on the simulated clock and says what changed. */
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
    return result;
  }

  private advance(job: RestoreJob): void {
    const config = this.faults();
    const duration = Math.max(1, config.restoreDurationMs);
    const now = this.engine.clock.now();
    const elapsed = now - job.startSimMs;
    if (job.state === 'Pending' && elapsed >= duration * PENDING_SHARE) this.startExecuting(job);
    if (job.state === 'Executing') {
      job.progress = elapsed >= duration ? 100 : Math.min(99, Math.floor((elapsed / duration) * 100));
      if (config.restoreFailAtPercent !== null && job.progress >= config.restoreFailAtPercent) {
        this.fail(job, config.restoreFailReason, now);
      } else if (job.progress >= 100) {
        this.complete(job, config.corruptRestore, now);
      }
    }
  }

  private startExecuting(job: RestoreJob): void {
    const snapshot = this.state.snapshots.find((s) => s.id === job.snapshotId);
    if (!snapshot) return this.fail(job, 'snapshot not found', this.engine.clock.now());
    if (this.engine.findCollection(job.targetDb, job.targetCollection)) {
      return this.fail(
        job,
        `target collection ${job.targetCollection} already exists in database ${job.targetDb}`,
        this.engine.clock.now(),
      );
    }
    const created = this.engine.addCollection({
      db: job.targetDb,
      name: job.targetCollection,
      schema: { ...clone(snapshot.schema), name: job.targetCollection },
      shardsNum: snapshot.shardsNum,
      consistencyLevel: snapshot.consistencyLevel,
      properties: clone(snapshot.properties),
      indexes: clone(snapshot.indexes),
      segments: [],
      partitionNames: snapshot.partitionNames,
    });
    job.targetCollectionId = created.id;
    job.state = 'Executing';
  }

  private complete(job: RestoreJob, corrupt: boolean, now: number): void {
    const snapshot = this.state.snapshots.find((s) => s.id === job.snapshotId);
    const target = this.state.collections.find((c) => c.id === job.targetCollectionId);
    if (!snapshot || !target) return this.fail(job, 'restore target or snapshot disappeared', now);
    const copied: Segment[] = clone(snapshot.segments).map((s) => ({ ...s, id: this.engine.allocId() }));
    if (corrupt)
      corruptRows(
        target.schema,
        copied.flatMap((s) => s.rows),
      );
    target.segments = copied;
    job.state = 'Completed';
    job.progress = 100;
    job.endSimMs = now;
    this.releaseJobPin(job);
  }

  private fail(job: RestoreJob, reason: string, now: number): void {
    if (job.targetCollectionId) {
      this.state.collections = this.state.collections.filter((c) => c.id !== job.targetCollectionId);
    }
    job.state = 'Failed';
    job.reason = reason;
    job.endSimMs = now;
    this.releaseJobPin(job);
  }

  private releaseJobPin(job: RestoreJob): void {
    this.state.pins = this.state.pins.filter((p) => p.restoreJobId !== job.id);
  }
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
