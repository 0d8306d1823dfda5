import { recoverDescriptor, type RecoverInput, type RecoverResult } from '../../contracts/recover';
import { operationCommand, secondsSince, type Operation } from '../run-operation';

function renderRecovered(r: RecoverResult): string {
  const pin = r.pinReleased ? 'pin released' : 'pin kept (release it with --release-pin, or it lapses)';
  return [
    `recovered ${r.db}.${r.collection} into ${r.db}.${r.target}${r.cluster ? ` on cluster ${r.cluster}` : ''} from snapshot ${r.snapshot}`,
    `rows ${r.rowCount} (equal to the catalog's)${r.sampleRows === undefined ? '' : `, ${r.sampleRows} sampled`}`,
    `restore job ${r.jobId}${r.adopted ? ' (adopted)' : ''}, ${secondsSince(r.startedAt) - secondsSince(r.completedAt)} s; ${pin}`,
  ].join('\n');
}

export const recoverOperation: Operation<RecoverResult> = {
  descriptor: recoverDescriptor,
  progress: async (c, id) => {
    const p = await c.recoverProgress(id);
    return {
      label: `recover ${p.phase}: ${p.snapshot ?? '-'} ${p.state ?? '-'} ${p.progress}% job ${p.jobId ?? '-'} (${secondsSince(p.startedAt)} s)`,
      percent: p.progress,
    };
  },
  /** No --cluster: the default cluster's catalog, else the only other cluster with one (said on stderr). */
  prepare: async (c, parsed, out) => {
    const input = parsed as RecoverInput;
    const { input: withCluster, foundOn } = await c.withRecoverCluster(input);
    if (foundOn)
      out.note(
        `no catalog of ${input.db ?? 'default'}.${input.collection} on the default cluster; recovering from the one on cluster ${foundOn}`,
      );
    return withCluster;
  },
  render: renderRecovered,
};

export const recoverCommand = operationCommand(recoverOperation);
