import type { WorkflowHandle } from '@temporalio/client';
import { restoreWorkflow } from '../../src/workflows/restore';
import { restoreWorkflowId, type RestoreInput } from '../../src/contracts/restore';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../../dev/wait-until';
import { callsPerTest } from '../helpers/stack';
import { useWorkerKill } from '../helpers/worker-kill';

const SOURCE = 'start_crash_items';
const SNAPSHOT = 'start_crash_snap';
const ROWS = 48;

/**
 * The worker process is SIGKILLed around the RestoreSnapshot call: before it is sent, while it is
 * in flight (the stand-in delays it; Milvus goes on with a request whose client died), and right
 * after it returned. RestoreSnapshot creates the target inside the call, and listing the jobs of
 * a missing collection answers 100, so the retried start step must find this run's job from the
 * existing target. Each time: exactly one RestoreSnapshot, one job into the target, restored once.
 */
describe('restoreWorkflow with a worker SIGKILL around RestoreSnapshot', () => {
  const rig = useWorkerKill((stack) =>
    seedSnapshot(stack, { collection: SOURCE, snapshot: SNAPSHOT, rows: ROWS }),
  );

  const calls = callsPerTest(() => rig.standin);

  /** Starts the run on a child worker, kills it at `killPoint`, finishes on a fresh worker. */
  async function restoreAcrossKill(target: string, killPoint: () => Promise<unknown>) {
    const taskQueue = await rig.startChildWorker('restore-start-crash');
    const args: RestoreInput = { snapshot: SNAPSHOT, sourceCollection: SOURCE, targetCollection: target };
    const handle: WorkflowHandle<typeof restoreWorkflow> = await rig.env.client.workflow.start(
      restoreWorkflow,
      {
        taskQueue,
        workflowId: restoreWorkflowId(args),
        args: [{ ...args, pollInterval: '250ms' }],
      },
    );
    await killPoint();
    await rig.killChildWorker();
    rig.standin.faults.set({ latencyByMethod: {} });
    await rig.startFreshWorker();
    const result = await handle.result();

    expect(result.verifiedRowCount).toBe(ROWS);
    expect(calls('RestoreSnapshot')).toBe(1);
    const jobs = await rig.gateway.listRestoreJobs({ db: 'default', collection: target });
    expect(jobs.map((j) => j.jobId)).toEqual([result.jobId]);
    const attempts = await startAttempts(handle);
    console.log(
      `[restore-start-crash] ${target}: start step attempts ${attempts}, adopted ${result.adopted}`,
    );
    return { result, attempts };
  }

  /** Attempt number of the start activity's completing attempt. */
  async function startAttempts(handle: WorkflowHandle): Promise<number> {
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'startOrAdoptRestoreJob',
    );
    const started = events.find(
      (e) =>
        e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduled?.eventId?.toString(),
    );
    return started?.activityTaskStartedEventAttributes?.attempt ?? 0;
  }

  const called = (method: string) => () =>
    waitUntil(
      async () => calls(method),
      (n) => n >= 1,
      60_000,
      20,
    );

  it('killed before RestoreSnapshot is sent: the retry starts the one job', async () => {
    // The target check (DescribeCollection) is slowed so the kill lands before RestoreSnapshot.
    rig.standin.faults.set({ latencyByMethod: { DescribeCollection: 3_000 } });
    const { result, attempts } = await restoreAcrossKill('start_crash_before', async () => {
      await called('DescribeCollection')();
      expect(calls('RestoreSnapshot')).toBe(0);
    });
    expect(result.adopted).toBe(false);
    expect(attempts).toBeGreaterThanOrEqual(2);
  });

  it('killed while RestoreSnapshot is in flight: the retry adopts the job the dead call started', async () => {
    rig.standin.faults.set({ latencyByMethod: { RestoreSnapshot: 4_000 } });
    const { result, attempts } = await restoreAcrossKill('start_crash_during', called('RestoreSnapshot'));
    expect(result.adopted).toBe(true);
    expect(attempts).toBeGreaterThanOrEqual(2);
  });

  it('killed right after RestoreSnapshot returned: the run goes on with that job', async () => {
    const target = { db: 'default', collection: 'start_crash_after' };
    await restoreAcrossKill(target.collection, () =>
      waitUntil(() => rig.gateway.hasCollection(target), Boolean, 60_000, 5),
    );
  });
});
