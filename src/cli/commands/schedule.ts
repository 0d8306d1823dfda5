import { objectShape, parseInput } from '../../contracts/parse-input';
import { scheduleOptionsSchema } from '../../contracts/schedule';
import type { Command, CommandContext } from '../command';
import { withClient } from '../connect';
import { coerceFlags } from '../coerce-flags';
import { describeSchema } from '../describe-schema';
import type { ScheduleRow } from '../../temporal/schedules';
import { formatTime } from '../output/format';
import { renderTable } from '../../shared/text';
import { parseOperationFlags, type Operation } from '../run-operation';
import { refuseUnknownFlags } from '../read-flags';
import { UsageError } from '../usage-error';
import { backupOperation } from './backup';
import { drillOperation } from './drill';
import { fleetOperation } from './fleet';
import { retentionOperation } from './retention';

/** The operations a schedule can run: those whose descriptor says how. */
const SCHEDULED: Record<string, Operation> = Object.fromEntries(
  [backupOperation, retentionOperation, drillOperation, fleetOperation]
    .filter((op) => op.descriptor.schedule)
    .map((op) => [op.descriptor.name, op]),
);
const SCHEDULED_NAMES = Object.keys(SCHEDULED).join('|');

export function renderSchedules(rows: ScheduleRow[]): string {
  if (rows.length === 0) return 'No schedules.';
  return renderTable(
    ['SCHEDULE', 'SPEC', 'TIME ZONE', 'WORKFLOW', 'COLLECTION', 'STATE', 'NEXT RUN (UTC)', 'NOTE'],
    rows.map((r) => [
      r.scheduleId,
      r.spec,
      r.timezone,
      r.workflowType,
      r.target ?? '-',
      r.paused ? 'paused' : 'active',
      formatTime(r.nextRuns[0]),
      r.note ?? '',
    ]),
  );
}

async function create(target: string | undefined, { flags, out }: CommandContext): Promise<number> {
  if (target === 'restore') throw new UsageError('restores are not scheduled; schedule a drill instead');
  const op = target ? SCHEDULED[target] : undefined;
  if (!op) throw new UsageError(`schedule create needs one of: ${Object.keys(SCHEDULED).join(', ')}`);
  const scheduleKeys = new Set(Object.keys(objectShape(scheduleOptionsSchema)));
  const scheduleFlags = Object.fromEntries(Object.entries(flags).filter(([k]) => scheduleKeys.has(k)));
  const input = parseOperationFlags(op, flags, scheduleKeys);
  const schedule = parseInput(
    scheduleOptionsSchema,
    coerceFlags(scheduleOptionsSchema, scheduleFlags),
    'schedule options',
  );
  const scheduleId = await withClient((c) => c.scheduleOperation(op.descriptor, input, schedule));
  out.result({ scheduleId }, (r) => `schedule ${r.scheduleId} created`);
  return 0;
}

export const scheduleCommand: Command = {
  usage: [
    [`schedule create <${SCHEDULED_NAMES}> (--cron "0 2 * * *" | --every 6h) [its flags]`, ''],
    ['schedule list | delete <id> | trigger <id> | pause <id> | unpause <id>', ''],
  ],
  help: () =>
    `schedule create <${SCHEDULED_NAMES}> flags:\n${describeSchema(scheduleOptionsSchema).join('\n')}`,
  async run(ctx) {
    const [action, target] = ctx.args;
    if (action === 'create') return create(target, ctx);
    const { out } = ctx;
    refuseUnknownFlags(`schedule ${action ?? ''}`.trim(), ctx.flags);
    return withClient(async (client) => {
      if (action === 'list') {
        out.result(await client.listSchedules(), renderSchedules);
        return 0;
      }
      if (!target) throw new UsageError(`schedule ${action ?? ''} needs a schedule id`);
      if (action === 'delete') await client.deleteSchedule(target);
      else if (action === 'trigger') await client.triggerSchedule(target);
      else if (action === 'pause' || action === 'unpause')
        await client.pauseSchedule(target, action === 'pause');
      else throw new UsageError(`unknown schedule action ${action}`);
      out.result({ scheduleId: target, done: action }, (r) => `schedule ${r.scheduleId}: ${r.done} done`);
      return 0;
    });
  },
};
