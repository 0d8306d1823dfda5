import type {
  ActivityInput,
  LocalActivityInput,
  Next,
  StartChildWorkflowExecutionInput,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { activitySummary, workflowSummary } from '../temporal/summaries';

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
