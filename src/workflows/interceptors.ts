import {
  ContinueAsNew,
  isCancellation,
  workflowInfo,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type StartChildWorkflowExecutionInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { BackupResult } from '../contracts/backup';
import type { DrillReport } from '../drill/report';
import type { SnapshotRef } from '../milvus/gateway';
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
 * The worker's workflow interceptors (WORKFLOW_INTERCEPTOR_MODULES in src/temporal/workflow-bundle.ts,
 * bundled with the workflows): metrics from every run's outcome, UI summaries for every activity
 * and child.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new RunMetrics()],
  outbound: [new Summaries(), new RetentionDropMetrics()],
});

/**
 * Every run's metrics, from its outcome: duration, failure type, and what backups, drills and
 * retention drops report (operation-metrics.ts). Workflow files record nothing themselves.
 */

/**
 * A retention run's per-collection child (retentionApplyWorkflow) is part of its parent's run: its
 * duration is the parent's.
 */
function isPartOfParentRun(workflowType: string): boolean {
  return workflowType === 'retentionApplyWorkflow';
}

function recordResult(workflowType: string, result: unknown): void {
  if (workflowType === 'backupWorkflow') recordVerifiedBackup(result as BackupResult);
  if (workflowType === 'drillWorkflow') recordDrill(result as DrillReport);
}

export class RunMetrics implements WorkflowInboundCallsInterceptor {
  async execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const { workflowType, startTime } = workflowInfo();
    const operation = operationOf(workflowType);
    const ownRun = !isPartOfParentRun(workflowType);
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

/** Counts each snapshot retention's drop activity reports dropped. */
export class RetentionDropMetrics implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    const running = next(input);
    if (input.activityType === 'dropSnapshotForRetention') {
      running.then(
        (outcome) =>
          (outcome as { outcome?: string }).outcome === 'dropped' &&
          recordRetentionDrop(input.args[0] as SnapshotRef),
        () => undefined, // the workflow handles the failure; only drops are counted here
      );
    }
    return running;
  }
}

/**
 * The Temporal UI's summary of every activity ("flush default.docs"), local activity and child workflow, derived
 * from its input (src/temporal/summaries.ts), so no call site spells one out. User metadata is no
 * command: histories recorded without it replay unchanged.
 */
export class Summaries implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    const summary = input.options.summary ?? activitySummary(input.activityType, input.args);
    return next({ ...input, options: { ...input.options, summary } });
  }

  /** A local activity's summary rides on its marker command (sdk-core local_activity_state_machine.rs). */
  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ) {
    const summary = input.options.summary ?? activitySummary(input.activityType, input.args);
    return next({ ...input, options: { ...input.options, summary } });
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
