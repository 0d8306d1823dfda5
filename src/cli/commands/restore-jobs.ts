import type { RestoreJobInfo } from '../../milvus/gateway';
import type { Command } from '../command';
import { withMilvus } from '../connect';
import { formatDuration, formatTime } from '../output/format';
import { renderTable } from '../../shared/text';
import { readFlags } from '../read-flags';
import { UsageError } from '../usage-error';

export function renderRestoreJobs(jobs: RestoreJobInfo[]): string {
  if (jobs.length === 0) return 'No restore jobs (Milvus forgets a job some hours after it ends).';
  return renderTable(
    ['JOB', 'SNAPSHOT', 'TARGET', 'STATE', 'PROGRESS', 'STARTED (UTC)', 'TIME', 'REASON'],
    [...jobs]
      .sort((a, b) => b.startTime - a.startTime)
      .map((j) => [
        j.jobId,
        j.snapshot,
        `${j.db}.${j.collection}`,
        j.state,
        `${j.progress}%`,
        formatTime(j.startTime),
        formatDuration(j.timeCostMs),
        j.reason,
      ]),
  );
}

/** `restore-jobs list [--collection C] [--db D]`: Milvus's restore jobs (ListRestoreSnapshotJobs). */
export const restoreJobsCommand: Command = {
  usage: [['restore-jobs list [--collection C] [--db D]', "Milvus's restore jobs, newest first"]],
  async run({ args, flags, out }) {
    if (args[0] !== 'list')
      throw new UsageError(`restore-jobs needs list${args[0] ? `, not ${args[0]}` : ''}`);
    const filter = readFlags('restore-jobs list', flags, { required: [], optional: ['collection', 'db'] });
    const jobs = await withMilvus((gateway) => gateway.listRestoreJobs(filter));
    out.result(jobs, renderRestoreJobs);
    return 0;
  },
};
