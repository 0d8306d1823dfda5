/**
 * Asynchronous ExportSnapshot and GetExportSnapshotState (milvus-io/milvus internal/proxy
 * Proxy.ExportSnapshot, internal/datacoord/snapshot_export_manager.go; read not copied):
 * - the proxy refuses an invalid snapshot name, an empty collection_name (1100 `collection_name is
 *   required for export snapshot`) or target_s3_path (1100 `target_s3_path is required for export
 *   snapshot`), then resolves the collection (100); `Submit` checks the target against the
 *   cluster's storage service (storage.ts, resolver.go), reads the snapshot (not found: 2600) and
 *   pins it for max(restore pin TTL 24 h, job timeout + 5 min), then answers the job id (Pending);
 * - one job runs at a time per cluster (SnapshotExportMaxConcurrentJobs), the others stay Pending;
 * - a running job plans its files (progress 5, total_files), copies them (progress
 *   5 + copied × 90 / total, at most 95, `snapshotExportCopyProgress`), sets 99, publishes the
 *   manifest and the metadata file last, then Completed with progress 100, snapshot_metadata_uri
 *   (`minio://<endpoint>/<bucket>/<key>`, path.go BuildStorageConfigSnapshotURI) and total_bytes;
 * - a job not finished 12 h after it was accepted fails with `snapshot export job timed out`;
 *   terminal jobs release their pin and are forgotten 3 h after they end, then GetJobInfo answers
 *   1100 `snapshot export job N not found`; time_cost runs until the end (or now);
 * - the external_spec is used for the copy only and never kept (Milvus clears it at the end).
 * Faults: `exportDurationMs` (the copy's simulated length: a slow copy), `exportFailAtPercent`
 * (+ `exportFailReason`): the job fails once its progress reaches that percentage, keeping the
 * files copied so far (no metadata file: the bundle is unusable).
 */
import { randomUUID } from 'node:crypto';
import { planBundle, publishBundle, writeBundleFile, type BundlePlan } from './bundle';
import type { Engine } from './engine';
import { checkExternalSpec } from './external-restore';
import type { FaultConfig } from './faults';
import { MilvusCode, reasons } from './milvus-codes';
import type { ExportJob, SnapshotState } from './model';
import { validateSnapshotName } from './names';
import { MilvusFailure } from './rows';
import type { Snapshots, TickResult } from './snapshots';
import { objectUri, resolveExportTarget, type ObjectStore } from './storage';

const HOUR_MS = 3600 * 1000;
/** dataCoord snapshot export job timeout (component_param.go SnapshotExportJobTimeout), 12 h. */
const EXPORT_JOB_TIMEOUT_MS = 12 * HOUR_MS;
/** snapshotExportPinSafetyMargin. */
const PIN_SAFETY_MARGIN_MS = 5 * 60 * 1000;
/** The restore pin TTL (SnapshotRestorePinTTLSeconds), 24 h: the export pin is at least this. */
const RESTORE_PIN_TTL_MS = 24 * HOUR_MS;
/** SnapshotExportJobRetention: finished jobs are dropped 3 h after they end. */
const EXPORT_JOB_RETENTION_MS = 3 * HOUR_MS;
/** SnapshotExportMaxConcurrentJobs: one export at a time per cluster. */
const MAX_RUNNING = 1;
/** A job sits in Executing at progress 5 (plan persisted) for this share before copying. */
const PLAN_SHARE = 0.05;

const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

/** snapshot_export_manager.go snapshotExportCopyProgress. */
function copyProgress(copied: number, total: number): number {
  if (total <= 0) return 5;
  return Math.min(95, 5 + Math.floor((copied * 90) / total));
}

export class Exports {
  constructor(
    private readonly engine: Engine,
    private readonly snapshots: Snapshots,
    private readonly store: ObjectStore,
    private readonly faults: () => FaultConfig,
  ) {}

  private get jobs(): ExportJob[] {
    this.engine.state.exports ??= [];
    return this.engine.state.exports;
  }

  /** Proxy.ExportSnapshot checks, then snapshotExportManager.Submit. */
  submit(input: {
    db?: string;
    collection: string;
    name: string;
    targetPath: string;
    externalSpec: string;
  }): string {
    validateSnapshotName(input.name);
    if (!input.collection) throw invalid('collection_name is required for export snapshot');
    if (!input.targetPath) throw invalid('target_s3_path is required for export snapshot');
    const coll = this.engine.collection(input.db, input.collection);
    checkExternalSpec(input.externalSpec);
    const target = resolveExportTarget(this.snapshots.storage, input.targetPath);
    const snapshot = this.snapshots.get(coll, input.name);
    const now = this.engine.clock.now();
    const job: ExportJob = {
      id: this.engine.allocId(),
      snapshotId: snapshot.id,
      snapshotName: snapshot.name,
      db: coll.db,
      collection: coll.name,
      targetPath: input.targetPath,
      bucket: target.bucket,
      root: [target.key, 'exports', randomUUID()].filter(Boolean).join('/'),
      state: 'Pending',
      progress: 0,
      reason: '',
      totalFiles: 0,
      copiedFiles: 0,
      metadataUri: '',
      totalBytes: 0,
      startTimeMs: Date.now(),
      startSimMs: now,
      deadlineSimMs: now + EXPORT_JOB_TIMEOUT_MS,
      copyStartSimMs: null,
      endSimMs: null,
    };
    this.jobs.push(job);
    const pinTtl = Math.max(RESTORE_PIN_TTL_MS, EXPORT_JOB_TIMEOUT_MS + PIN_SAFETY_MARGIN_MS);
    this.snapshots.addPin(snapshot.id, now + pinTtl, undefined, job.id);
    this.engine.persist();
    return job.id;
  }

  /** snapshotExportManager.GetJobInfo. */
  info(jobId: string): Record<string, unknown> {
    const job = this.jobs.find((j) => j.id === jobId);
    if (!job) throw invalid(`snapshot export job ${jobId} not found`);
    const end = job.endSimMs ?? this.engine.clock.now();
    return {
      job_id: job.id,
      snapshot_name: job.snapshotName,
      db_name: job.db,
      collection_name: job.collection,
      state: `ExportSnapshot${job.state}`,
      progress: job.progress,
      reason: job.reason,
      start_time: String(job.startTimeMs),
      time_cost: String(Math.max(0, Math.round(end - job.startSimMs))),
      total_files: String(job.totalFiles),
      copied_files: String(job.copiedFiles),
      snapshot_metadata_uri: job.state === 'Completed' ? job.metadataUri : '',
      // Set by the publish step: 0 until Completed.
      total_bytes: job.state === 'Completed' ? String(job.totalBytes) : '0',
    };
  }

  /** snapshotExportManager.reconcile: timeouts, expiry, then start and advance jobs. */
  tick(): TickResult {
    let result: TickResult = 'none';
    const now = this.engine.clock.now();
    for (const job of this.jobs) {
      if ((job.state === 'Pending' || job.state === 'Executing') && now >= job.deadlineSimMs) {
        this.fail(job, 'snapshot export job timed out', now);
        result = 'state';
      }
    }
    const kept = this.jobs.filter((j) => j.endSimMs === null || now - j.endSimMs < EXPORT_JOB_RETENTION_MS);
    if (kept.length !== this.jobs.length) {
      this.engine.state.exports = kept;
      result = 'state';
    }
    for (const job of this.jobs) {
      if (job.state === 'Pending' && this.jobs.filter((j) => j.state === 'Executing').length < MAX_RUNNING) {
        job.state = 'Executing';
        job.copyStartSimMs = now;
        result = 'state';
      }
      if (job.state !== 'Executing') continue;
      const before = `${job.state}/${job.progress}`;
      this.advance(job, now);
      const after = `${job.state}/${job.progress}`;
      if (job.state !== 'Executing') result = 'state';
      else if (before !== after && result === 'none') result = 'progress';
    }
    return result;
  }

  private snapshotOf(job: ExportJob): SnapshotState | undefined {
    return this.engine.state.snapshots.find((s) => s.id === job.snapshotId);
  }

  private advance(job: ExportJob, now: number): void {
    const snapshot = this.snapshotOf(job);
    if (!snapshot) return this.fail(job, `snapshot ${job.snapshotName} not found`, now);
    const plan = planBundle(job.root, snapshot);
    const config = this.faults();
    const share = Math.min(1, (now - (job.copyStartSimMs ?? now)) / Math.max(1, config.exportDurationMs));
    job.totalFiles = plan.files.length;
    const copyShare = Math.max(0, (share - PLAN_SHARE) / (1 - PLAN_SHARE));
    const target = share >= 1 ? plan.files.length : Math.floor(copyShare * plan.files.length);
    const progress = share < PLAN_SHARE ? 5 : copyProgress(target, plan.files.length);
    const failAt = config.exportFailAtPercent;
    if (failAt !== null && progress >= failAt) {
      this.copy(job, snapshot, plan, Math.min(target, this.filesBelow(failAt, plan.files.length)));
      return this.fail(job, config.exportFailReason, now);
    }
    this.copy(job, snapshot, plan, target);
    job.progress = progress;
    if (share < 1) return;
    job.progress = 99;
    job.totalBytes += publishBundle(this.store, job.bucket, snapshot, plan);
    job.metadataUri = objectUri(this.snapshots.storage, job.bucket, plan.metadataKey);
    job.state = 'Completed';
    job.progress = 100;
    job.endSimMs = now;
    this.releasePin(job);
  }

  /** How many files are copied when progress first reaches `percent` (inverse of copyProgress). */
  private filesBelow(percent: number, total: number): number {
    if (total <= 0) return 0;
    return Math.max(0, Math.ceil(((percent - 5) * total) / 90) - 1);
  }

  private copy(job: ExportJob, snapshot: SnapshotState, plan: BundlePlan, upTo: number): void {
    for (let i = job.copiedFiles; i < upTo; i++) {
      job.totalBytes += writeBundleFile(this.store, job.bucket, snapshot, plan.files[i]);
    }
    job.copiedFiles = Math.max(job.copiedFiles, upTo);
  }

  /** updateFailedJob: Failed, reason, end time; no metadata URI. */
  private fail(job: ExportJob, reason: string, now: number): void {
    job.state = 'Failed';
    job.reason = reason;
    job.endSimMs = now;
    job.metadataUri = '';
    this.releasePin(job);
  }

  private releasePin(job: ExportJob): void {
    this.engine.state.pins = this.engine.state.pins.filter((p) => p.exportJobId !== job.id);
  }
}
