import type { Client, WorkflowHandleWithFirstExecutionRunId, WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { z } from 'zod';
import { randomUUID } from 'node:crypto';
import type { TemporalConfig } from './config';
import { refuseDifferentInput } from './lookups/input-conflict';
import { drillHistory, type DrillHistoryOptions, type DrillHistoryRow } from './lookups/drill-history';
import type { DrillReport } from './drill/report';
import {
  backupInputSchema,
  prepareBackupStart,
  type BackupInput,
  type BackupResult,
} from './contracts/backup';
import {
  drillInputSchema,
  drillProgressQuery,
  drillWorkflowId,
  type DrillInput,
  type DrillProgress,
} from './contracts/drill';
import { parseInput, InputError } from './contracts/parse-input';
import {
  restoreInputSchema,
  restoreProgressQuery,
  restoreWorkflowId,
  type RestoreInput,
  type RestoreProgress,
  type RestoreResult,
} from './contracts/restore';
import {
  retentionInputSchema,
  retentionProgressQuery,
  retentionWorkflowId,
  type RetentionInput,
  type RetentionProgress,
  type RetentionResult,
} from './contracts/retention';
import {
  fleetInputSchema,
  fleetProgressQuery,
  fleetWorkflowId,
  type FleetInput,
  type FleetProgress,
  type FleetResult,
} from './contracts/fleet';
import { scheduleOptionsSchema } from './contracts/schedule';
import {
  exportInputSchema,
  exportProgressQuery,
  exportWorkflowId,
  type ExportInput,
  type ExportProgress,
  type ExportResult,
} from './contracts/export';
import { DEFAULT_TASK_QUEUE } from './contracts/task-queue';
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
  type ScheduledOperation,
  type ScheduleRow,
} from './temporal/schedules';
import type { MilvusCheckResult } from './activities/check-milvus';
import {
  backupWorkflow,
  checkMilvusWorkflow,
  drillWorkflow,
  exportWorkflow,
  recoverWorkflow,
  fleetWorkflow,
  restoreWorkflow,
  retentionWorkflow,
} from './workflows';
import {
  catalogCloseInputSchema,
  recoverInputSchema,
  recoverProgressQuery,
  recoverWorkflowId,
  type CatalogCloseInput,
  type CatalogState,
  type RecoverInput,
  type RecoverProgress,
  type RecoverResult,
} from './contracts/catalog';
import { closeCatalog, readCatalog, type CatalogCloseOutcome } from './catalog/catalog-access';

/**
 * The typed API other services call. Every input is validated with the same zod schema the
 * workflow uses, before anything starts: bad input throws InputError naming the field and the rule.
 * Workflow IDs are deterministic where the operation must not run twice (backup, restore,
 * retention): starting one that is already running with the same input returns the running one;
 * with different input the start throws WorkflowInputConflictError naming what is running.
 */
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
   * Starts the workflow, or attaches to the one running under the same id when its input is the
   * same (never a duplicate); a running one with other input is refused, not returned as ours.
   */
  private async startOrAttach<W extends Workflow>(
    workflow: W,
    workflowId: string,
    schema: z.ZodType,
    input: Parameters<W>[0],
    what: string,
  ): Promise<WorkflowHandleWithFirstExecutionRunId<W>> {
    const options = {
      taskQueue: this.taskQueue,
      workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [input],
      staticSummary: workflowSummary(workflow.name, input),
    } as unknown as WorkflowStartOptions<W>;
    const handle = await this.client.workflow.start(workflow, options);
    await refuseDifferentInput(
      this.client,
      { workflowId, runId: handle.firstExecutionRunId },
      schema,
      input,
      what,
    );
    return handle;
  }

  // --- backup

  /** Fixes the snapshot name now (template at this time, UTC) so the workflow ID can include it. */
  async startBackup(
    raw: BackupInput,
    now: Date = new Date(),
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof backupWorkflow>> {
    const { input, workflowId } = prepareBackupStart(raw, now);
    return this.startOrAttach(backupWorkflow, workflowId, backupInputSchema, input, 'backup');
  }

  async backup(raw: BackupInput): Promise<BackupResult> {
    return (await this.startBackup(raw)).result();
  }

  // --- restore

  async startRestore(
    raw: RestoreInput,
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof restoreWorkflow>> {
    const input = parseInput(restoreInputSchema, raw, 'restore input');
    return this.startOrAttach(
      restoreWorkflow,
      restoreWorkflowId(input),
      restoreInputSchema,
      input,
      'restore',
    );
  }

  async restore(raw: RestoreInput): Promise<RestoreResult> {
    return (await this.startRestore(raw)).result();
  }

  /** State, progress %, job id and elapsed time of a running (or finished) restore. */
  async restoreProgress(workflowId: string): Promise<RestoreProgress> {
    return this.client.workflow.getHandle(workflowId).query(restoreProgressQuery);
  }

  // --- export

  /** Starts (or attaches to) the export of a snapshot with a storage profile. */
  async startExport(raw: ExportInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof exportWorkflow>> {
    const input = parseInput(exportInputSchema, raw, 'export input');
    return this.startOrAttach(exportWorkflow, exportWorkflowId(input), exportInputSchema, input, 'export');
  }

  async export(raw: ExportInput): Promise<ExportResult> {
    return (await this.startExport(raw)).result();
  }

  /** State, progress %, files copied and job id of a running (or finished) export. */
  async exportProgress(workflowId: string): Promise<ExportProgress> {
    return this.client.workflow.getHandle(workflowId).query(exportProgressQuery);
  }

  // --- retention

  async startRetention(
    raw: RetentionInput,
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof retentionWorkflow>> {
    const input = parseInput(retentionInputSchema, raw, 'retention input');
    const workflowId = retentionWorkflowId(input);
    return this.startOrAttach(retentionWorkflow, workflowId, retentionInputSchema, input, 'retention');
  }

  async retention(raw: RetentionInput): Promise<RetentionResult> {
    return (await this.startRetention(raw)).result();
  }

  /**
   * The plan's size, snapshots kept/dropped/failed/pending, pins renewed and the step of a retention
   * run. A coordinating run is answered by the child doing its work while it runs.
   */
  async retentionProgress(workflowId: string): Promise<RetentionProgress> {
    const own = await this.client.workflow.getHandle(workflowId).query(retentionProgressQuery);
    if (own.step !== 'delegated' || !own.applyWorkflowId) return own;
    const work = await this.client.workflow.getHandle(own.applyWorkflowId).query(retentionProgressQuery);
    return { ...work, applyWorkflowId: own.applyWorkflowId };
  }

  // --- drill

  async startDrill(
    raw: DrillInput,
    now: Date = new Date(),
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof drillWorkflow>> {
    const input = parseInput(drillInputSchema, raw, 'drill input');
    const unique = `${now.toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
    return this.startOrAttach(
      drillWorkflow,
      drillWorkflowId(input, unique),
      drillInputSchema,
      input,
      'drill',
    );
  }

  async drill(raw: DrillInput): Promise<DrillReport> {
    return (await this.startDrill(raw)).result();
  }

  async drillProgress(workflowId: string): Promise<DrillProgress> {
    return this.client.workflow.getHandle(workflowId).query(drillProgressQuery);
  }

  async drillHistory(options: DrillHistoryOptions = {}): Promise<DrillHistoryRow[]> {
    return drillHistory(this.client, options);
  }

  // --- catalog and recovery of a dropped collection

  /** The snapshot catalog of a collection (answers after the collection was dropped too). */
  async catalog(ref: { db?: string; collection: string }): Promise<CatalogState> {
    return readCatalog(this.client, ref);
  }

  /**
   * Ends the catalog of a collection nobody backs up any more. Refused (CatalogStillProtects) while
   * it records a pin that still holds or an off-site bundle, unless `force`.
   */
  async closeCatalog(
    ref: { db?: string; collection: string },
    raw: CatalogCloseInput = {},
  ): Promise<CatalogCloseOutcome> {
    return closeCatalog(this.client, ref, parseInput(catalogCloseInputSchema, raw, 'catalog close'));
  }

  async startRecover(
    raw: RecoverInput,
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof recoverWorkflow>> {
    const input = parseInput(recoverInputSchema, raw, 'recover input');
    return this.startOrAttach(
      recoverWorkflow,
      recoverWorkflowId(input),
      recoverInputSchema,
      input,
      'recover',
    );
  }

  async recover(raw: RecoverInput): Promise<RecoverResult> {
    return (await this.startRecover(raw)).result();
  }

  async recoverProgress(workflowId: string): Promise<RecoverProgress> {
    return this.client.workflow.getHandle(workflowId).query(recoverProgressQuery);
  }

  // --- fleets: one operation on every collection matching a pattern

  /** One fleet per (operation, db, pattern) at a time: a second start attaches to the running one. */
  async startFleet(raw: FleetInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof fleetWorkflow>> {
    const input = parseInput(fleetInputSchema, raw, 'fleet input');
    return this.startOrAttach(fleetWorkflow, fleetWorkflowId(input), fleetInputSchema, input, 'fleet');
  }

  async fleet(raw: FleetInput): Promise<FleetResult> {
    return (await this.startFleet(raw)).result();
  }

  async fleetProgress(workflowId: string): Promise<FleetProgress> {
    return this.client.workflow.getHandle(workflowId).query(fleetProgressQuery);
  }

  // --- health

  async checkMilvus(db = DEFAULT_DB): Promise<MilvusCheckResult> {
    return this.client.workflow.execute(checkMilvusWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: `check-milvus:${db}:${randomUUID()}`,
      args: [{ db }],
      staticSummary: workflowSummary(checkMilvusWorkflow.name, { db }),
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

  async scheduleBackup(raw: BackupInput, rawSchedule: unknown): Promise<string> {
    const input = parseInput(backupInputSchema, raw, 'backup input');
    if (input.snapshot) {
      throw new InputError('backup schedule', [
        { field: 'snapshot', rule: 'a schedule names each snapshot from nameTemplate; leave snapshot out' },
      ]);
    }
    return this.schedule(
      'backup',
      backupWorkflow,
      input,
      `backup-schedule:${input.db}.${input.collection}`,
      `${input.db}.${input.collection}`,
      rawSchedule,
    );
  }

  async scheduleRetention(raw: RetentionInput, rawSchedule: unknown): Promise<string> {
    const input = parseInput(retentionInputSchema, raw, 'retention input');
    const target = input.collection ?? input.collectionPattern;
    return this.schedule(
      'retention',
      retentionWorkflow,
      input,
      `retention-schedule:${input.db}.${target}`,
      `${input.db}.${target}`,
      rawSchedule,
    );
  }

  async scheduleDrill(raw: DrillInput, rawSchedule: unknown): Promise<string> {
    const input = parseInput(drillInputSchema, raw, 'drill input');
    if (input.snapshot) {
      throw new InputError('drill schedule', [
        { field: 'snapshot', rule: 'each scheduled drill names its own snapshot; leave snapshot out' },
      ]);
    }
    return this.schedule(
      'drill',
      drillWorkflow,
      input,
      `drill-schedule:${input.db}.${input.collection}`,
      `${input.db}.${input.collection}`,
      rawSchedule,
    );
  }

  async scheduleFleet(raw: FleetInput, rawSchedule: unknown): Promise<string> {
    const input = parseInput(fleetInputSchema, raw, 'fleet input');
    return this.schedule(
      'fleet',
      fleetWorkflow,
      input,
      `fleet-schedule:${input.operation}:${input.db}.${input.collectionPattern}`,
      `${input.db}.${input.collectionPattern}`,
      rawSchedule,
    );
  }

  private async schedule(
    operation: ScheduledOperation,
    workflow: Workflow,
    input: unknown,
    defaultScheduleId: string,
    target: string,
    rawSchedule: unknown,
  ): Promise<string> {
    const options = parseInput(scheduleOptionsSchema, rawSchedule, 'schedule options');
    return createSchedule(this.client, {
      operation,
      workflow,
      input,
      taskQueue: this.taskQueue,
      defaultScheduleId,
      target,
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
