import { retentionInputSchema, type RetentionInput, type RetentionResult } from '../../contracts/retention';
import { asJson } from '../output/output';
import { operationCommand, type Operation } from '../run-operation';

export const retentionOperation: Operation<RetentionInput, RetentionResult> = {
  name: 'retention',
  schema: retentionInputSchema,
  summary: 'prune snapshots by policy (restic semantics); --dry-run only plans',
  start: (c, input) => c.startRetention(input),
  schedule: (c, input, s) => c.scheduleRetention(input, s),
  report(out, result) {
    out.result(result, asJson);
    return 0;
  },
};

export const retentionCommand = operationCommand(retentionOperation);
