import {
  backupInputSchema,
  backupProgressQuery,
  type BackupInput,
  type BackupResult,
} from '../../contracts/backup';
import { formatCount, formatDuration } from '../output/format';
import { operationCommand, type Operation } from '../run-operation';

/** The backup's steps in order, for the progress bar (absent steps are skipped by the workflow). */
const STEPS = [
  'starting',
  'inspect',
  'flush',
  'count',
  'create',
  'verify',
  'restoreCount',
  'catalog',
  'protect',
  'done',
];

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

export const backupOperation: Operation<BackupInput, BackupResult> = {
  name: 'backup',
  schema: backupInputSchema,
  summary: 'flush → create snapshot → verify (compensates on failure)',
  start: (c, input) => c.startBackup(input),
  schedule: (c, input, s) => c.scheduleBackup(input, s),
  progress: async (c, id) => {
    const p = await c.client.workflow.getHandle(id).query(backupProgressQuery);
    const at = Math.max(0, STEPS.indexOf(p.step));
    return {
      label: `backup ${p.snapshot ?? ''}: ${p.step}`.replace(' :', ':'),
      percent: (at / (STEPS.length - 1)) * 100,
    };
  },
  render: renderBackup,
};

export const backupCommand = operationCommand(backupOperation);
