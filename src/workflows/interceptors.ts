import {
  ContinueAsNew,
  isCancellation,
  workflowInfo,
  type ActivityInput,
  type Next,
  type StartChildWorkflowExecutionInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { BackupResult } from '../contracts/backup';
import { retentionApplyWorkflowId } from '../contracts/retention';
import type { DrillReport } from '../drill/report';
import { activitySummary, workflowSummary } from '../temporal/summaries';
import {
  operationOf,
  recordDrill,
  recordDuration,
  recordFailure,
  recordRetentionDrop,
  recordVerifiedBackup,
} from './operation-metrics';

/**
 * The worker's workflow interceptors (registered in src/worker.ts and bundled with the workflows):
 * every run's metrics from its outcome, and the Temporal UI's summary of every activity and child
 * workflow from its input, so no workflow step spells either out. Neither adds a command: old
 * histories replay unchanged.
 */

type Fields = Record<string, unknown>;

const RETENTION_APPLY_SUFFIX = retentionApplyWorkflowId({ collection: '' }).replace(/^.*(?=\/)/, '');

function fields(value: unknown): Fields {
  return typeof value === 'object' && value !== null ? (value as Fields) : {};
}

/**
 * A retention run's per-collection child (id from retentionApplyWorkflowId, kept by its continued
 * runs) is part of its parent's run: its duration is the parent's.
 */
function isPartOfParentRun(workflowType: string, workflowId: string): boolean {
  return workflowType === 'retentionWorkflow' && workflowId.endsWith(RETENTION_APPLY_SUFFIX);
}

function recordResult(workflowType: string, result: unknown): void {
  if (workflowType === 'backupWorkflow') recordVerifiedBackup(result as BackupResult);
  if (workflowType === 'drillWorkflow') recordDrill(result as DrillReport);
}

class RunMetrics implements WorkflowInboundCallsInterceptor {
  async execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const { workflowType, workflowId, startTime } = workflowInfo();
    const operation = operationOf(workflowType);
    const ownRun = !isPartOfParentRun(workflowType, workflowId);
    const elapsed = () => Date.now() - startTime.getTime();
    try {
      const result = await next(input);
      recordResult(workflowType, result);
      const drillFailed = workflowType === 'drillWorkflow' && (result as DrillReport).outcome === 'fail';
      if (ownRun) recordDuration(operation, drillFailed ? 'failure' : 'success', elapsed());
      return result;
    } catch (err) {
      if (err instanceof ContinueAsNew) throw err; // the chain goes on: its last run records
      recordFailure(operation, err);
      if (ownRun) recordDuration(operation, isCancellation(err) ? 'cancelled' : 'failure', elapsed());
      throw err;
    }
  }
}

class Summaries implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    const summary = input.options.summary ?? activitySummary(input.activityType, input.args);
    const running = next({ ...input, options: { ...input.options, summary } });
    if (input.activityType === 'dropSnapshotForRetention') {
      running.then(
        (outcome) =>
          fields(outcome).outcome === 'dropped' && recordRetentionDrop(input.args[0] as RetentionRef),
        () => undefined, // the workflow handles the failure; only drops are counted here
      );
    }
    return running;
  }

  startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ) {
    const staticSummary =
      input.options.staticSummary ?? workflowSummary(input.workflowType, input.options.args?.[0]);
    return next({ ...input, options: { ...input.options, staticSummary } });
  }
}

type RetentionRef = { db: string; collection: string };

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new RunMetrics()],
  outbound: [new Summaries()],
});
