import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/**
 * What the Temporal UI shows as a run's "Current Details": the SDK's built-in metadata query (the
 * UI asks it too; DescribeWorkflowExecution carries only the static summary and details).
 */
export async function currentDetails(handle: WorkflowHandle): Promise<string> {
  const metadata = await handle.query<temporal.api.sdk.v1.IWorkflowMetadata>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}
