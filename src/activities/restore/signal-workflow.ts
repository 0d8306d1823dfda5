import { log } from '@temporalio/activity';
import type { SignalDefinition } from '@temporalio/common';
import { currentActivityContext } from '../heartbeat';

/**
 * Signals the workflow that runs this activity. Best effort: returns false when it was not
 * delivered (or there is no workflow, the activity being called directly), and the caller decides
 * whether that matters.
 */
export async function signalOwnWorkflow<T>(signal: SignalDefinition<[T]>, arg: T): Promise<boolean> {
  const ctx = currentActivityContext();
  const execution = ctx?.info.workflowExecution;
  if (!ctx || !execution) return false;
  try {
    await ctx.client.workflow.getHandle(execution.workflowId, execution.runId).signal(signal, arg);
    return true;
  } catch (err) {
    log.warn('signal to the workflow not delivered', { signal: signal.name, error: String(err) });
    return false;
  }
}
