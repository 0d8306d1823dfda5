import type { SnapshotWorkerClient } from '../../client';
import { backupDescriptor, type BackupProgress, type BackupResult } from '../../contracts/backup';
import { stepPercent } from '../../contracts/operation';
import { formatCount, formatDuration } from '../output/format';
import type { Progress } from '../output/progress';
import { operationCommand, type Operation } from '../run-operation';

export function renderBackup(r: BackupResult): string {
  const rows = r.rowCount === undefined ? 'row count not recorded' : `${formatCount(r.rowCount)} rows`;
  const how = r.reused
    ? 'existing snapshot verified'
    : r.flushed
      ? 'flushed, created, verified'
      : 'created, verified';
  return [
    `backup ${r.db}.${r.collection} → ${r.snapshot}: ${rows}, ${how} in ${formatDuration(r.durationsMs.total)} (created ${r.createdAt})`,
    ...r.checks.map((c) => `  ✓ ${c}`),
    ...(r.protection?.pinned.length || r.protection?.unpinned.length
      ? [
          `  protection: pinned ${r.protection.pinned.join(', ') || '-'}; unpinned ${r.protection.unpinned.join(', ') || '-'}`,
        ]
      : []),
  ].join('\n');
}

/** The bar while a backup runs: its step, placed among the descriptor's steps. */
export function backupProgressLabel(p: BackupProgress): Progress {
  return {
    label: `backup ${p.snapshot ?? ''}: ${p.step}`.replace(' :', ':'),
    percent: stepPercent(backupDescriptor.steps, p.step),
  };
}

async function backupProgress(c: SnapshotWorkerClient, workflowId: string): Promise<Progress> {
  return backupProgressLabel(await c.client.workflow.getHandle(workflowId).query(backupDescriptor.progress));
}

export const backupOperation: Operation<BackupResult> = {
  descriptor: backupDescriptor,
  progress: backupProgress,
  render: renderBackup,
};

export const backupCommand = operationCommand(backupOperation);
