import { backupInputSchema, type BackupInput, type BackupResult } from '../../contracts/backup';
import { asJson } from '../output/output';
import { operationCommand, type Operation } from '../run-operation';

export const backupOperation: Operation<BackupInput, BackupResult> = {
  name: 'backup',
  schema: backupInputSchema,
  summary: 'flush → create snapshot → verify (compensates on failure)',
  start: (c, input) => c.startBackup(input),
  schedule: (c, input, s) => c.scheduleBackup(input, s),
  report(out, result) {
    out.result(result, asJson);
    return 0;
  },
};

export const backupCommand = operationCommand(backupOperation);
