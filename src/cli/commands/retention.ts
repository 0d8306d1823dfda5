import { retentionInputSchema, type RetentionInput, type RetentionResult } from '../../contracts/retention';
import { formatTime, plural } from '../output/format';
import { renderTable } from '../output/table';
import { operationCommand, type Operation } from '../run-operation';
import { pendingWorkProgress } from '../run-progress';

export function renderRetention(r: RetentionResult): string {
  const t = r.totals;
  const verb = r.dryRun ? `would drop ${t.wouldDrop}` : `dropped ${t.dropped}`;
  const lines = [
    `retention ${r.db}.${r.target}${r.dryRun ? ' (dry run)' : ''}: ${plural(t.collections, 'collection')}, ${plural(t.snapshots, 'snapshot')}, kept ${t.kept}, ${verb}, ${t.failed} failed`,
  ];
  if (r.collections.length > 1)
    lines.push(
      renderTable(
        ['COLLECTION', 'STATUS', 'SNAPSHOTS', 'KEPT', r.dryRun ? 'WOULD DROP' : 'DROPPED', 'FAILED', 'ERROR'],
        r.collections.map((c) => [
          c.collection,
          c.status,
          String(c.snapshots),
          String(c.kept),
          String(r.dryRun ? c.wouldDrop : c.dropped),
          String(c.failed.length),
          c.error ?? '',
        ]),
      ),
    );
  const d = r.detail;
  if (d) {
    const rows = [
      ...d.kept.map((k) => [k.name, formatTime(k.createTs), 'keep', k.reasons.join('; ')]),
      ...d.wouldDrop.map((w) => [w.name, formatTime(w.createTs), 'would drop', '']),
      ...d.dropped.map((x) => [x.name, formatTime(x.createTs), x.outcome, '']),
      ...d.failed.map((f) => [f.name, formatTime(f.createTs), 'failed', `${f.type}: ${f.message}`]),
    ];
    if (rows.length > 0) lines.push(renderTable(['SNAPSHOT', 'CREATED (UTC)', 'ACTION', 'WHY'], rows));
  }
  return lines.join('\n');
}

export const retentionOperation: Operation<RetentionInput, RetentionResult> = {
  name: 'retention',
  schema: retentionInputSchema,
  summary: 'prune snapshots by policy (restic semantics); --dry-run only plans',
  start: (c, input) => c.startRetention(input),
  schedule: (c, input, s) => c.scheduleRetention(input, s),
  progress: (c, id) => pendingWorkProgress(c, id, 'retention'),
  render: renderRetention,
};

export const retentionCommand = operationCommand(retentionOperation);
