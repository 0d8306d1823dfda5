import { exportDescriptor, type ExportProgress, type ExportResult } from '../../contracts/export';
import { formatCount } from '../output/format';
import { operationCommand, secondsSince, type Operation } from '../run-operation';

/** "export waiting: Executing 45% 12/40 files job 7": the bar's label, and `status`'s export line. */
export function exportProgressLine(p: ExportProgress): string {
  const files = p.totalFiles ? ` ${p.copiedFiles ?? 0}/${p.totalFiles} files` : '';
  return `export ${p.phase}: ${p.state ?? '-'} ${p.progress}%${files} job ${p.jobId ?? '-'}`;
}

export const exportOperation: Operation<ExportResult> = {
  descriptor: exportDescriptor,
  progress: async (c, id) => {
    const p = await c.exportProgress(id);
    return { label: `${exportProgressLine(p)} (${secondsSince(p.startedAt)} s)`, percent: p.progress };
  },
  render: (r) =>
    `export ${r.db}.${r.collection}@${r.snapshot} with profile ${r.profile}: ${r.alreadyExported ? 'already exported, ' : ''}${formatCount(r.totalFiles)} files, ${formatCount(r.totalBytes)} bytes → ${r.metadataUri} (job ${r.jobId}${r.adopted ? ', adopted' : ''})`,
};

export const exportCommand = operationCommand(exportOperation);
