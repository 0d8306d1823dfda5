import { restoreDescriptor, type RestoreResult } from '../../contracts/restore';
import { formatCount, formatDuration } from '../output/format';
import { operationCommand, secondsSince, type Operation } from '../run-operation';

export function renderRestore(r: RestoreResult): string {
  const job = `job ${r.jobId}${r.adopted ? ', adopted' : ''}${r.jobForgotten ? ', forgotten by Milvus' : ''}`;
  return `restore ${r.source.db}.${r.source.collection}@${r.snapshot} → ${r.target.db}.${r.target.collection}: ${formatCount(r.verifiedRowCount)} rows verified; restore took ${formatDuration(r.restoreDurationMs)} (${job})`;
}

export const restoreOperation: Operation<RestoreResult> = {
  descriptor: restoreDescriptor,
  progress: async (c, id) => {
    const p = await c.restoreProgress(id);
    return {
      label: `restore ${p.phase}: ${p.state ?? '-'} ${p.progress}% job ${p.jobId ?? '-'} (${secondsSince(p.startedAt)} s)`,
      percent: p.progress,
    };
  },
  render: renderRestore,
};

export const restoreCommand = operationCommand(restoreOperation);
