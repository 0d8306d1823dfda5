import type { Command } from '../command';
import { withClient } from '../connect';
import { asJson } from '../output/output';
import { UsageError } from '../usage-error';

/** `status <workflow-id>`: Temporal's state of a run, and restore or drill progress. */
export const statusCommand: Command = {
  usage: [['status <workflow-id>', 'state of a run (and restore/drill progress)']],
  async run({ args, out }) {
    const workflowId = args[0];
    if (!workflowId) throw new UsageError('status needs a workflow id');
    return withClient(async (client) => {
      const info = await client.client.workflow.getHandle(workflowId).describe();
      const status: Record<string, unknown> = {
        workflowId,
        type: info.type,
        status: info.status.name,
        startTime: info.startTime.toISOString(),
        closeTime: info.closeTime?.toISOString(),
      };
      if (info.type === 'restoreWorkflow') status.progress = await client.restoreProgress(workflowId);
      if (info.type === 'drillWorkflow' && info.status.name === 'RUNNING')
        status.progress = await client.drillProgress(workflowId);
      out.result(status, asJson);
      return 0;
    });
  },
};
