import { exportInputSchema, type ExportInput, type ExportResult } from '../../contracts/export';
import { formatCount } from '../output/format';
import { operationCommand, secondsSince, type Operation } from '../run-operation';

export const exportOperation: Operation<ExportInput, ExportResult> = {
  name: 'export',
  schema: exportInputSchema,
  summary:
    'export a snapshot off-site with a storage profile, wait durably, record the bundle in the catalog',
  start: (c, input) => c.startExport(input),
  progress: async (c, id) => {
    const p = await c.exportProgress(id);
    const files = p.totalFiles ? ` ${p.copiedFiles ?? 0}/${p.totalFiles} files` : '';
    return {
      label: `export ${p.phase}: ${p.state ?? '-'} ${p.progress}%${files} job ${p.jobId ?? '-'} (${secondsSince(p.startedAt)} s)`,
      percent: p.progress,
    };
  },
  render: (r) =>
    `export ${r.db}.${r.collection}@${r.snapshot} with profile ${r.profile}: ${r.alreadyExported ? 'already exported, ' : ''}${formatCount(r.totalFiles)} files, ${formatCount(r.totalBytes)} bytes → ${r.metadataUri} (job ${r.jobId}${r.adopted ? ', adopted' : ''})`,
};

export const exportCommand = operationCommand(exportOperation);
