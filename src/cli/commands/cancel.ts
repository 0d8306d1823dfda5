import type { Command } from '../command';
import { withClient } from '../connect';
import { refuseUnknownFlags } from '../read-flags';
import { UsageError } from '../usage-error';

export const cancelCommand: Command = {
  usage: [['cancel <workflow-id>', 'cancel a run (it compensates: drops what it created)']],
  async run({ args, flags, out }) {
    refuseUnknownFlags('cancel', flags);
    const workflowId = args[0];
    if (!workflowId) throw new UsageError('cancel needs a workflow id');
    return withClient(async (c) => {
      await c.cancel(workflowId);
      out.result(
        { workflowId, cancelRequested: true },
        () =>
          `cancel requested for ${workflowId}; it compensates, then ends (see: milvus-snapshot status ${workflowId})`,
      );
      return 0;
    });
  },
};
