import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { SnapshotWorkerClient } from '../../client';
import type { ExportProgress } from '../../contracts/export';
import type { RetentionProgress } from '../../contracts/retention';
import type { Command } from '../command';
import { withClient } from '../connect';
import { failureChain } from '../failure-chain';
import { formatDuration, formatTime } from '../output/format';
import { progressBar } from '../output/progress';
import type { Operation } from '../run-operation';
import { refuseUnknownFlags } from '../read-flags';
import { UsageError } from '../usage-error';
import { operationOfWorkflowType } from '../../contracts/operation';
import { backupDescriptor, type BackupProgress } from '../../contracts/backup';
import { backupOperation, backupProgressLabel } from './backup';
import { drillOperation } from './drill';
import { exportOperation, exportProgressLine } from './export';
import { fleetOperation } from './fleet';
import { recoverOperation } from './recover';
import { restoreOperation } from './restore';
import { retentionOperation, retentionProgressLabel } from './retention';

/** Renders a closed run's result by the operation its workflow type runs (a child's: its parent's). */
const OPERATIONS = [
  backupOperation,
  restoreOperation,
  retentionOperation,
  drillOperation,
  exportOperation,
  fleetOperation,
  recoverOperation,
];

function operationOfType(workflowType: string): Operation | undefined {
  const name = operationOfWorkflowType(workflowType);
  return OPERATIONS.find((op) => op.descriptor.name === name);
}

type Status = Record<string, unknown> & { workflowId: string; type: string; status: string };

/** A closed run: its result, or why it did not complete (failure, cancellation, timeout, termination). */
async function outcome(
  client: SnapshotWorkerClient,
  workflowId: string,
  runId: string,
): Promise<Partial<Status>> {
  try {
    return { result: await client.client.workflow.getHandle(workflowId, runId).result() };
  } catch (err) {
    return { failure: failureChain(err) };
  }
}

/** A running drill in its restore step: the restore's own progress (the job's state and %). */
async function drillRestore(
  client: SnapshotWorkerClient,
  progress: { step: string; restoreWorkflowId?: string },
) {
  if (progress.step !== 'restore' || !progress.restoreWorkflowId) return {};
  return { restoreProgress: await client.restoreProgress(progress.restoreWorkflowId).catch(() => undefined) };
}

/**
 * A running run that waits on an export — a backup's export step, a drill's backup's — finds it
 * among its pending children (two levels): the export's own progress (job state, %, files).
 */
async function pendingExport(
  client: SnapshotWorkerClient,
  info: WorkflowExecutionDescription,
  depth = 2,
): Promise<Partial<Status>> {
  for (const child of info.raw.pendingChildren ?? []) {
    if (!child.workflowId) continue;
    if (child.workflowTypeName === 'exportWorkflow') {
      const exportProgress = await client.exportProgress(child.workflowId).catch(() => undefined);
      return exportProgress ? { exportWorkflowId: child.workflowId, exportProgress } : {};
    }
    if (depth > 1) {
      const nested = await client.client.workflow.getHandle(child.workflowId).describe();
      const found = await pendingExport(client, nested, depth - 1);
      if (found.exportProgress) return found;
    }
  }
  return {};
}

async function readStatus(client: SnapshotWorkerClient, workflowId: string): Promise<Status> {
  const info: WorkflowExecutionDescription = await client.client.workflow.getHandle(workflowId).describe();
  const running = info.status.name === 'RUNNING';
  // Existing keys first, in their old order: scripts reading `--json` keep working.
  const status: Status = {
    workflowId,
    type: info.type,
    status: info.status.name,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString(),
  };
  if (info.type === 'restoreWorkflow') status.progress = await client.restoreProgress(workflowId);
  if (info.type === 'drillWorkflow' && running) {
    const progress = await client.drillProgress(workflowId);
    status.progress = progress;
    Object.assign(status, await drillRestore(client, progress));
  }
  if (info.raw.workflowExtendedInfo?.cancelRequested) status.cancelRequested = true;
  if (!running) Object.assign(status, await outcome(client, workflowId, info.runId));
  // Keys added later go after the old ones.
  if (info.type === 'exportWorkflow') status.progress = await client.exportProgress(workflowId);
  if (operationOfType(info.type) === retentionOperation && running)
    status.progress = await client.retentionProgress(workflowId).catch(() => undefined); // older workers answer no query
  if (info.type === backupDescriptor.workflowType && running)
    status.progress = await client.client.workflow
      .getHandle(workflowId)
      .query(backupDescriptor.progress)
      .catch(() => undefined); // before its first workflow task
  if (running && info.type !== 'exportWorkflow') Object.assign(status, await pendingExport(client, info));
  return status;
}

interface RestoreLike {
  phase?: string;
  state?: string;
  progress?: number;
  jobId?: string;
}

function restoreLine(p: RestoreLike): string {
  return `${progressBar(p.progress ?? 0)} restore ${p.phase ?? ''}: ${p.state ?? '-'} job ${p.jobId ?? '-'}`;
}

function exportLine(p: ExportProgress): string {
  return `${progressBar(p.progress)} ${exportProgressLine(p)}`;
}

export function renderStatus(s: Status): string {
  const closed = typeof s.closeTime === 'string' ? s.closeTime : undefined;
  const took = formatDuration((closed ? Date.parse(closed) : Date.now()) - Date.parse(s.startTime as string));
  const lines = [
    `${s.workflowId} (${s.type}): ${s.status}${s.cancelRequested && s.status === 'RUNNING' ? ', cancel requested (compensating)' : ''} — started ${formatTime(s.startTime as string)}${closed ? `, closed ${formatTime(closed)}` : ''} (${took})`,
  ];
  const progress = s.progress as (RestoreLike & { step?: string }) | undefined;
  if (s.status === 'RUNNING' && progress) {
    if (s.type === 'restoreWorkflow') lines.push(restoreLine(progress));
    if (s.type === 'drillWorkflow') lines.push(`drill step: ${progress.step}`);
    if (s.type === 'exportWorkflow') lines.push(exportLine(s.progress as ExportProgress));
    if (s.type === backupDescriptor.workflowType) {
      const { label, percent } = backupProgressLabel(s.progress as BackupProgress);
      lines.push(`${progressBar(percent ?? 0)} ${label}`);
    }
    if (operationOfType(s.type) === retentionOperation) {
      const { label, percent } = retentionProgressLabel(s.progress as RetentionProgress);
      lines.push(percent === undefined ? label : `${progressBar(percent)} ${label}`);
    }
  }
  if (s.exportProgress) lines.push(exportLine(s.exportProgress as ExportProgress));
  if (s.restoreProgress) lines.push(restoreLine(s.restoreProgress as RestoreLike));
  if (s.failure) lines.push(`reason: ${s.failure as string}`);
  const op = operationOfType(s.type);
  if (s.result !== undefined)
    lines.push(op ? op.render(s.result as never) : JSON.stringify(s.result, null, 2));
  return lines.join('\n');
}

/** `status <workflow-id>`: Temporal's state of a run, its result or failure, and the progress of what it waits on. */
export const statusCommand: Command = {
  usage: [
    [
      'status <workflow-id>',
      'state of a run: result or failure reason; restore, drill, export, retention progress; pending cancel',
    ],
  ],
  async run({ args, flags, out }) {
    refuseUnknownFlags('status', flags);
    const workflowId = args[0];
    if (!workflowId) throw new UsageError('status needs a workflow id');
    const status = await withClient((client) => readStatus(client, workflowId));
    out.result(status, renderStatus);
    return 0;
  },
};
