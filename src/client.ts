import type { Client, WorkflowHandleWithFirstExecutionRunId, WorkflowStartOptions } from '@temporalio/client';
import type { QueryDefinition, Workflow } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { TemporalConfig } from './config';
import { refuseDifferentInput } from './lookups/input-conflict';
import { drillHistory, type DrillHistoryOptions, type DrillHistoryRow } from './lookups/drill-history';
import type { DrillReport } from './drill/report';
import { backupDescriptor, type BackupInput, type BackupResult } from './contracts/backup';
import { drillDescriptor, type DrillInput, type DrillProgress } from './contracts/drill';
import { parseInput, parseOperationInput, InputError } from './contracts/parse-input';
import {
  restoreDescriptor,
  type RestoreInput,
  type RestoreProgress,
  type RestoreResult,
} from './contracts/restore';
import {
  retentionDescriptor,
  type RetentionInput,
  type RetentionProgress,
  type RetentionResult,
} from './contracts/retention';
import { fleetDescriptor, type FleetInput, type FleetProgress, type FleetResult } from './contracts/fleet';
import { scheduleOptionsSchema, type ScheduleOptions } from './contracts/schedule';
import {
  exportDescriptor,
  type ExportInput,
  type ExportProgress,
  type ExportResult,
} from './contracts/export';
import { DEFAULT_TASK_QUEUE, type OperationDescriptor } from './contracts/operation';
import { DEFAULT_DB } from './milvus/names';
import { connectClient } from './temporal/connection';
import { workflowSummary } from './temporal/summaries';
import { liveWorkflowPollers, type TaskQueuePoller } from './temporal/task-queue-pollers';
import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  pauseSchedule,
  triggerSchedule,
  type ScheduleRow,
} from './temporal/schedules';
import type { MilvusCheckResult } from './activities/check-milvus';
import type {
  backupWorkflow,
  checkMilvusWorkflow,
  drillWorkflow,
  exportWorkflow,
  recoverWorkflow,
  fleetWorkflow,
  restoreWorkflow,
  retentionWorkflow,
} from './workflows';
import { catalogCloseInputSchema, type CatalogCloseInput, type CatalogState } from './contracts/catalog';
import {
  recoverDescriptor,
  type RecoverInput,
  type RecoverProgress,
  type RecoverResult,
} from './contracts/recover';
import {
  closeCatalog,
  readCatalog,
  recoverCluster,
  type CatalogCloseOutcome,
  type CatalogRef,
} from './catalog/catalog-access';

/**
 * The typed API other services call. Every input is validated with the same zod schema the
 * workflow uses, before anything starts: bad input throws InputError naming the field and the rule.
 * Workflow IDs are deterministic where the operation must not run twice (backup, restore,
 * retention): starting one that is already running with the same input returns the running one;
 * with different input the start throws WorkflowInputConflictError naming what is running.
 */
/** A started (or attached) run of a workflow. */
type Started<W extends Workflow> = WorkflowHandleWithFirstExecutionRunId<W>;

export class SnapshotWorkerClient {
  constructor(
    readonly client: Client,
    readonly taskQueue: string = DEFAULT_TASK_QUEUE,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  static async connect(config: TemporalConfig): Promise<SnapshotWorkerClient> {
    const { connection, client } = await connectClient(config);
    return new SnapshotWorkerClient(client, config.taskQueue, () => connection.close());
  }

  async close(): Promise<void> {
    await this.onClose();
  }

  /**
   * Starts the operation's workflow with input already parsed, or attaches to the one running under
   * the same id when its input is the same (never a duplicate); a running one with other input is
   * refused, not returned as ours. The id, the type, the summary: all from the descriptor.
   */
  private async startOrAttach<W extends Workflow>(
    descriptor: OperationDescriptor,
    raw: unknown,
    now: Date = new Date(),
  ): Promise<WorkflowHandleWithFirstExecutionRunId<W>> {
    return this.startOperation(descriptor, parseOperationInput(descriptor, raw), now);
  }

  /**
   * Starts (or attaches to) a run of an operation whose input `parseOperationInput` has parsed
   * already — the CLI's path, so a command line is parsed once. Other callers use `start<Op>`.
   */
  async startOperation<W extends Workflow>(
    descriptor: OperationDescriptor,
    parsed: unknown,
    now: Date = new Date(),
  ): Promise<WorkflowHandleWithFirstExecutionRunId<W>> {
    const input = descriptor.prepareStart ? descriptor.prepareStart(parsed, now) : parsed;
    const unique = `${now.toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
    const workflowId = descriptor.workflowId(input, unique);
    const options = {
      taskQueue: this.taskQueue,
      workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [input],
      staticSummary: workflowSummary(descriptor.workflowType, input),
    } as unknown as WorkflowStartOptions<W>;
    const handle = await this.client.workflow.start<W>(descriptor.workflowType, options);
    await refuseDifferentInput(
      this.client,
      { workflowId, runId: handle.firstExecutionRunId },
      descriptor.input,
      input,
      descriptor.name,
    );
    return handle;
  }

  /** A run's answer to its operation's progress query. */
  private progressOf<P>(descriptor: { progress?: QueryDefinition<P> }, workflowId: string): Promise<P> {
    const query = descriptor.progress;
    if (!query) throw new Error(`no progress query for ${workflowId}`);
    return this.client.workflow.getHandle(workflowId).query(query);
  }

  // --- backup

  /** Fixes the snapshot name now (template at this time, UTC) so the workflow ID can include it. */
  startBackup(raw: BackupInput, now: Date = new Date()): Promise<Started<typeof backupWorkflow>> {
    return this.startOrAttach(backupDescriptor, raw, now);
  }

  async backup(raw: BackupInput): Promise<BackupResult> {
    return (await this.startBackup(raw)).result();
  }

  // --- restore

  startRestore(raw: RestoreInput): Promise<Started<typeof restoreWorkflow>> {
    return this.startOrAttach(restoreDescriptor, raw);
  }

  async restore(raw: RestoreInput): Promise<RestoreResult> {
    return (await this.startRestore(raw)).result();
  }

  /** State, progress %, job id and elapsed time of a running (or finished) restore. */
  async restoreProgress(workflowId: string): Promise<RestoreProgress> {
    return this.progressOf(restoreDescriptor, workflowId);
  }

  // --- export

  /** Starts (or attaches to) the export of a snapshot with a storage profile. */
  startExport(raw: ExportInput): Promise<Started<typeof exportWorkflow>> {
    return this.startOrAttach(exportDescriptor, raw);
  }

  async export(raw: ExportInput): Promise<ExportResult> {
    return (await this.startExport(raw)).result();
  }

  /** State, progress %, files copied and job id of a running (or finished) export. */
  async exportProgress(workflowId: string): Promise<ExportProgress> {
    return this.progressOf(exportDescriptor, workflowId);
  }

  // --- retention

  startRetention(raw: RetentionInput): Promise<Started<typeof retentionWorkflow>> {
    return this.startOrAttach(retentionDescriptor, raw);
  }

  async retention(raw: RetentionInput): Promise<RetentionResult> {
    return (await this.startRetention(raw)).result();
  }

  /**
   * The plan's size, snapshots kept/dropped/failed/pending, pins renewed and the step of a retention
   * run. A coordinating run is answered by the child doing its work while it runs.
   */
  async retentionProgress(workflowId: string): Promise<RetentionProgress> {
    const own = await this.progressOf(retentionDescriptor, workflowId);
    if (own.step !== 'delegated' || !own.applyWorkflowId) return own;
    const work = await this.progressOf(retentionDescriptor, own.applyWorkflowId);
    return { ...work, applyWorkflowId: own.applyWorkflowId };
  }

  // --- drill

  startDrill(raw: DrillInput, now: Date = new Date()): Promise<Started<typeof drillWorkflow>> {
    return this.startOrAttach(drillDescriptor, raw, now);
  }

  async drill(raw: DrillInput): Promise<DrillReport> {
    return (await this.startDrill(raw)).result();
  }

  async drillProgress(workflowId: string): Promise<DrillProgress> {
    return this.progressOf(drillDescriptor, workflowId);
  }

  async drillHistory(options: DrillHistoryOptions = {}): Promise<DrillHistoryRow[]> {
    return drillHistory(this.client, options);
  }

  // --- catalog and recovery of a dropped collection

  /**
   * The snapshot catalog of a collection (answers after the collection was dropped too). `cluster`
   * names a non-default cluster's catalog (`catalog:<cluster>/db.coll`); absent: the default's.
   */
  async catalog(ref: CatalogRef): Promise<CatalogState> {
    return readCatalog(this.client, ref);
  }

  /**
   * Ends the catalog of a collection nobody backs up any more. Refused (CatalogStillProtects) while
   * it records a pin that still holds or an off-site bundle, unless `force`.
   */
  async closeCatalog(ref: CatalogRef, raw: CatalogCloseInput = {}): Promise<CatalogCloseOutcome> {
    return closeCatalog(this.client, ref, parseInput(catalogCloseInputSchema, raw, 'catalog close'));
  }

  /**
   * Starts (or attaches to) a recovery. Naming no cluster: the default cluster's catalog first,
   * else the only other cluster with a catalog of the collection (several: InputError naming them).
   */
  async startRecover(raw: RecoverInput): Promise<Started<typeof recoverWorkflow>> {
    const parsed = parseOperationInput(recoverDescriptor, raw) as RecoverInput;
    return this.startOperation(recoverDescriptor, (await this.withRecoverCluster(parsed)).input);
  }

  /** A parsed recover input with the cluster `recoverCluster` finds when it names none. */
  async withRecoverCluster(parsed: RecoverInput): Promise<{ input: RecoverInput; foundOn?: string }> {
    if (parsed.cluster) return { input: parsed };
    const where = await recoverCluster(this.client, parsed);
    return where.foundElsewhere
      ? { input: { ...parsed, cluster: where.cluster }, foundOn: where.cluster }
      : { input: parsed };
  }

  async recover(raw: RecoverInput): Promise<RecoverResult> {
    return (await this.startRecover(raw)).result();
  }

  async recoverProgress(workflowId: string): Promise<RecoverProgress> {
    return this.progressOf(recoverDescriptor, workflowId);
  }

  // --- fleets: one operation on every collection matching a pattern

  /** One fleet per (operation, db, pattern) at a time: a second start attaches to the running one. */
  startFleet(raw: FleetInput): Promise<Started<typeof fleetWorkflow>> {
    return this.startOrAttach(fleetDescriptor, raw);
  }

  async fleet(raw: FleetInput): Promise<FleetResult> {
    return (await this.startFleet(raw)).result();
  }

  async fleetProgress(workflowId: string): Promise<FleetProgress> {
    return this.progressOf(fleetDescriptor, workflowId);
  }

  // --- health

  async checkMilvus(db = DEFAULT_DB): Promise<MilvusCheckResult> {
    return this.client.workflow.execute<typeof checkMilvusWorkflow>('checkMilvusWorkflow', {
      taskQueue: this.taskQueue,
      workflowId: `check-milvus:${db}:${randomUUID()}`,
      args: [{ db }],
      staticSummary: workflowSummary('checkMilvusWorkflow', { db }),
    });
  }

  /** Workers polling this client's task queue now; none means started workflows wait. */
  workerPollers(): Promise<TaskQueuePoller[]> {
    return liveWorkflowPollers(this.client, this.taskQueue);
  }

  // --- any run

  async cancel(workflowId: string): Promise<void> {
    await this.client.workflow.getHandle(workflowId).cancel();
  }

  // --- schedules (visible and editable in the Temporal UI)

  scheduleBackup(raw: BackupInput, rawSchedule: unknown): Promise<string> {
    return this.schedule(backupDescriptor, raw, rawSchedule);
  }

  scheduleRetention(raw: RetentionInput, rawSchedule: unknown): Promise<string> {
    return this.schedule(retentionDescriptor, raw, rawSchedule);
  }

  scheduleDrill(raw: DrillInput, rawSchedule: unknown): Promise<string> {
    return this.schedule(drillDescriptor, raw, rawSchedule);
  }

  scheduleFleet(raw: FleetInput, rawSchedule: unknown): Promise<string> {
    return this.schedule(fleetDescriptor, raw, rawSchedule);
  }

  /** A Temporal Schedule of an operation that supports one (its descriptor's `schedule`). */
  async schedule(descriptor: OperationDescriptor, raw: unknown, rawSchedule: unknown): Promise<string> {
    const input = parseOperationInput(descriptor, raw);
    return this.scheduleOperation(
      descriptor,
      input,
      parseInput(scheduleOptionsSchema, rawSchedule, 'schedule options'),
    );
  }

  /** A schedule of an operation from input and options parsed already (the CLI's path: parsed once). */
  async scheduleOperation(
    descriptor: OperationDescriptor,
    parsed: unknown,
    options: ScheduleOptions,
  ): Promise<string> {
    const support = descriptor.schedule;
    if (!support) throw new Error(`${descriptor.name} cannot be scheduled`);
    const input = parsed as Record<string, unknown>;
    const refused = support.refuse;
    if (refused && input[refused.field] !== undefined) {
      throw new InputError(`${descriptor.name} schedule`, [refused]);
    }
    return createSchedule(this.client, {
      descriptor,
      input,
      taskQueue: this.taskQueue,
      defaultScheduleId: support.scheduleId(input),
      target: support.target(input),
      options,
    });
  }

  listSchedules(): Promise<ScheduleRow[]> {
    return listSchedules(this.client);
  }

  deleteSchedule(scheduleId: string): Promise<void> {
    return deleteSchedule(this.client, scheduleId);
  }

  triggerSchedule(scheduleId: string): Promise<void> {
    return triggerSchedule(this.client, scheduleId);
  }

  pauseSchedule(scheduleId: string, paused: boolean, note?: string): Promise<void> {
    return pauseSchedule(this.client, scheduleId, paused, note);
  }
}
