import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { restoreWorkflow } from '../../src/workflows/restore';
import { restoreProgressQuery, restoreWorkflowId } from '../../src/contracts/restore';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../helpers/wait-until';
import { useStack } from '../helpers/stack';

/**
 * The overall timeout: the job outlasts it, the workflow's deadline timer fires, the run fails
 * saying so and drops the target its job created.
 *
 * On the dev server with a short timeout, in real time: the time-skipping test server does not
 * skip time while an activity is in flight (tried: auto-skipping let the job complete, and
 * env.sleep('6h') blocked in real time during the heartbeating wait), and the durable wait is
 * one long activity.
 */
describe('restoreWorkflow timeout', () => {
  const stack = useStack({
    prepare: (s) =>
      seedSnapshot(s, {
        collection: 'slow_items',
        snapshot: 'slow_snap',
        rows: 30,
      }),
  });

  it('fails when the timeout passes with a message saying so, and drops the target', async () => {
    // The job executes (and creates the target) after 1 s and would need 20 s: longer than 6 s.
    stack().standin.faults.set({ restoreDurationMs: 20_000 });
    const args = { snapshot: 'slow_snap', sourceCollection: 'slow_items', targetCollection: 'slow_target' };
    const handle = await stack().client.workflow.start(restoreWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: restoreWorkflowId(args),
      args: [{ ...args, timeout: '6s', pollInterval: '500ms' }],
    });
    await waitUntil(
      () => handle.query(restoreProgressQuery),
      (p) => p.state === 'Executing',
      10_000,
    );
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'slow_target' })).toBe(true);

    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('RestoreTimedOut');
    expect(cause.message).toMatch(/did not finish within 6s \(job \d+: Executing at \d+%\)/);
    expect(cause.message).toContain('The partially restored target default.slow_target was dropped.');
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'slow_target' })).toBe(false);
    expect(await handle.query(restoreProgressQuery)).toMatchObject({ phase: 'timed-out' });

    const { startTime, closeTime } = await handle.describe();
    expect((closeTime?.getTime() ?? 0) - startTime.getTime()).toBeGreaterThanOrEqual(6_000);
  });
});
