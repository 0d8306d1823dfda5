import { restoreWorkflow } from '../../src/workflows/restore';
import { restoreProgressQuery, restoreWorkflowId } from '../../src/contracts/restore';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../../dev/wait-until';
import { useWorkerKill } from '../helpers/worker-kill';

/**
 * The worker process is SIGKILLed while it waits for the restore job; a fresh worker takes over
 * once the heartbeat timeout (5 s) expires. The run must finish on the same job: exactly one
 * restore job exists for the target.
 */
describe('restoreWorkflow after a worker SIGKILL mid-wait', () => {
  // No worker in the stack: the test starts its own, in a child process and then in this one.
  const rig = useWorkerKill(async (stack) => {
    await seedSnapshot(stack, {
      collection: 'crash_items',
      snapshot: 'crash_snap',
      rows: 64,
      segments: 8, // progress counts copied segments, so it moves while the job runs
    });
  });

  it('resumes on another worker and ends with exactly one restore job', async () => {
    const taskQueue = await rig.startChildWorker('restore-crash');
    rig.standin.faults.set({ restoreDurationMs: 20_000 });
    const args = {
      snapshot: 'crash_snap',
      sourceCollection: 'crash_items',
      targetCollection: 'crash_target',
    };
    const handle = await rig.env.client.workflow.start(restoreWorkflow, {
      taskQueue,
      workflowId: restoreWorkflowId(args),
      args: [{ ...args, pollInterval: '500ms' }],
    });
    const before = await waitUntil(
      () => handle.query(restoreProgressQuery),
      (p) => p.state === 'Executing' && p.progress >= 10,
      60_000,
    );

    await rig.killChildWorker();
    const killedAt = Date.now();
    await rig.startFreshWorker();
    const result = await handle.result();

    expect(result.jobId).toBe(before.jobId);
    expect(result.verifiedRowCount).toBe(64);
    expect(rig.standin.faults.callCounts().RestoreSnapshot).toBe(1);
    const jobs = await rig.gateway.listRestoreJobs({ db: 'default', collection: 'crash_target' });
    expect(jobs.map((j) => j.jobId)).toEqual([before.jobId]);

    // The wait activity ran again (a later attempt), after the dead worker's heartbeat timed out.
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'waitForRestoreJob',
    );
    expect(scheduled).toHaveLength(1);
    const scheduledId = scheduled[0].eventId?.toString();
    const started = events.find(
      (e) => e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduledId,
    );
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(2);
    console.log(
      `[restore-crash] worker killed at ${before.progress}%; run finished ${Date.now() - killedAt} ms later on job ${result.jobId}`,
    );
  });
});
