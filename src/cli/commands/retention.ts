import type { SnapshotWorkerClient } from '../../client';
import { retentionDescriptor, type RetentionProgress, type RetentionResult } from '../../contracts/retention';
import type { Progress } from '../output/progress';
import { formatTime, plural } from '../output/format';
import { renderTable } from '../../shared/text';
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

/**
 * "retention 3/6: kept 1, dropped 2, 3 to go" — snapshots of the plan settled so far; short, so the
 * line with its bar fits a terminal. Failures and renewed pins only when there are some.
 */
export function retentionProgressLabel(p: RetentionProgress): Progress {
  const renewed = p.renewed ? `, renewed ${plural(p.renewed, 'pin')}` : '';
  if (p.step === 'starting' || p.step === 'protecting' || p.step === 'planning' || p.step === 'delegated')
    return { label: `retention ${p.step}${renewed}` };
  const settled = p.planned - (p.dryRun ? 0 : p.pending);
  const collections = p.collections ? ` (${p.collections.done}/${p.collections.total} collections)` : '';
  const failed = p.failed ? `, ${p.failed} failed` : '';
  const pending = p.dryRun ? `would drop ${p.pending}` : `${p.pending} to go`;
  const label = `retention ${settled}/${p.planned}${collections}: kept ${p.kept}, dropped ${p.dropped}${failed}, ${pending}${renewed}`;
  const percent = p.collections
    ? (p.collections.done / Math.max(1, p.collections.total)) * 100
    : (settled / Math.max(1, p.planned)) * 100;
  return { label, percent: p.planned === 0 && !p.collections ? 100 : percent };
}

/** The run's own progress query; a run of a worker without it (an older version) shows what Temporal says it does. */
function retentionProgress(c: SnapshotWorkerClient, workflowId: string): Promise<Progress> {
  return c
    .retentionProgress(workflowId)
    .then(retentionProgressLabel, () => pendingWorkProgress(c, workflowId, 'retention'));
}

export const retentionOperation: Operation<RetentionResult> = {
  descriptor: retentionDescriptor,
  progress: retentionProgress,
  render: renderRetention,
};

export const retentionCommand = operationCommand(retentionOperation);
