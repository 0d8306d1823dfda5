import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { RetentionDropMetrics, RunMetrics } from './run-metrics-interceptor';
import { Summaries } from './summary-interceptor';

/**
 * The worker's workflow interceptors (WORKFLOW_INTERCEPTOR_MODULES in src/worker.ts, bundled with
 * the workflows): metrics from every run's outcome, UI summaries for every activity and child.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new RunMetrics()],
  outbound: [new Summaries(), new RetentionDropMetrics()],
});
