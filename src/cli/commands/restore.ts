import { restoreInputSchema, type RestoreInput, type RestoreResult } from '../../contracts/restore';
import { asJson } from '../output/output';
import { operationCommand, secondsSince, type Operation } from '../run-operation';

export const restoreOperation: Operation<RestoreInput, RestoreResult> = {
  name: 'restore',
  schema: restoreInputSchema,
  summary: 'restore a snapshot into a new collection, wait durably, verify',
  start: (c, input) => c.startRestore(input),
  progress: async (c, id) => {
    const p = await c.restoreProgress(id);
    return {
      label: `restore ${p.phase}: ${p.state ?? '-'} ${p.progress}% job ${p.jobId ?? '-'} (${secondsSince(p.startedAt)} s)`,
      percent: p.progress,
    };
  },
  report(out, result) {
    out.result(result, asJson);
    return 0;
  },
};

export const restoreCommand = operationCommand(restoreOperation);
