import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalExecutable } from '../../dev/temporal-binaries';
import { quietRuntime } from '../../dev/temporal-test-env';

/** The dev server, workflow bundle and worker are shared with the benchmarks (dev/temporal-test-env.ts). */
export {
  quietRuntime,
  startDevServer,
  startWorker,
  uniqueTaskQueue,
  workflowBundle,
  type DevServerOptions,
  type RunningWorker,
} from '../../dev/temporal-test-env';

/** The Java time-skipping test server, for hours that must pass quickly (tests only). */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: temporalExecutable('temporal-test-server') },
  });
}
