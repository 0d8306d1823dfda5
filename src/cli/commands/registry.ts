import type { Command } from '../command';
import { backupCommand } from './backup';
import { cancelCommand } from './cancel';
import { catalogCommand } from './catalog';
import { checkCommand } from './check';
import { drillCommand } from './drill';
import { fleetCommand } from './fleet';
import { exportCommand } from './export';
import { restoreCommand } from './restore';
import { restoreJobsCommand } from './restore-jobs';
import { recoverCommand } from './recover';
import { retentionCommand } from './retention';
import { scheduleCommand } from './schedule';
import { snapshotsCommand } from './snapshots';
import { statusCommand } from './status';

/** Every `milvus-snapshot <name>` command; a new one is a file in this folder plus one line here. */
export const COMMANDS: Record<string, Command> = {
  backup: backupCommand,
  restore: restoreCommand,
  retention: retentionCommand,
  drill: drillCommand,
  fleet: fleetCommand,
  export: exportCommand,
  status: statusCommand,
  cancel: cancelCommand,
  check: checkCommand,
  schedule: scheduleCommand,
  snapshots: snapshotsCommand,
  'restore-jobs': restoreJobsCommand,
  recover: recoverCommand,
  catalog: catalogCommand,
};
