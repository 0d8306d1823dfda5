import { renderDrillHistory } from '../../lookups/drill-history';
import { drillDescriptor, type DrillInput } from '../../contracts/drill';
import { renderDrillReport } from '../../drill/render-report';
import type { DrillReport } from '../../drill/report';
import type { Command } from '../command';
import { withClient } from '../connect';
import { operationCommand, secondsSince, type Operation } from '../run-operation';
import { refuseUnknownFlags } from '../read-flags';
import { UsageError } from '../usage-error';

export const drillOperation: Operation<DrillReport> = {
  descriptor: drillDescriptor,
  progress: async (c, id) => {
    const p = await c.drillProgress(id);
    if (p.step !== 'restore' || !p.restoreWorkflowId) return { label: `drill ${p.step}` };
    const r = await c.restoreProgress(p.restoreWorkflowId);
    return {
      label: `drill restore: ${r.state ?? r.phase} ${r.progress}% (${secondsSince(r.startedAt)} s)`,
      percent: r.progress,
    };
  },
  render: renderDrillReport,
  exitCode: (report) => (report.outcome === 'pass' ? 0 : 1),
};

const runDrill = operationCommand(drillOperation);

/** `drill history [--collection C] [--db D] [--limit N]`: past drills with the RTO trend. */
export const drillCommand: Command = {
  ...runDrill,
  usage: [
    ...runDrill.usage,
    ['drill history [--collection C] [--db D] [--limit N]', 'past drills with the RTO trend'],
  ],
  run(ctx) {
    if (ctx.args[0] !== 'history') return runDrill.run(ctx);
    const { flags, out } = ctx;
    refuseUnknownFlags('drill history', flags, ['collection', 'db', 'limit']);
    const limit = flags.limit === undefined ? undefined : Number(flags.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new UsageError('--limit: must be a whole number ≥ 1');
    return withClient(async (c) => {
      const rows = await c.drillHistory({
        collection: flags.collection as string,
        db: flags.db as string,
        limit,
      });
      out.result(rows, renderDrillHistory);
      return 0;
    });
  },
};
