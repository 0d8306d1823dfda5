import { seedSnapshot } from '../../dev/seed-snapshot';
import { SnapshotWorkerClient } from '../../src/client';
import { recoverProgressQuery, recoverWorkflowId } from '../../src/contracts/recover';
import { recoverWorkflow } from '../../src/workflows/recover';
import { waitUntil } from '../../dev/wait-until';
import { useWorkerKill } from '../helpers/worker-kill';

/**
 * The worker process is SIGKILLed while the recovery waits for its RestoreExternalSnapshot job; a
 * fresh worker takes over after the heartbeat timeout. One job, one recovered collection.
 */
describe('recoverWorkflow after a worker SIGKILL mid-wait', () => {
  const rig = useWorkerKill();

  it('resumes on another worker and recovers once, on one job', async () => {
    const taskQueue = await rig.startChildWorker('recover-crash');
    const client = new SnapshotWorkerClient(rig.env.client, taskQueue);
    // Eight segments: a restore's progress counts copied segments, so it moves while the job runs.
    await seedSnapshot(rig.stack(), { collection: 'rk_docs', snapshot: 'rk_seed', rows: 64, segments: 8 });
    await client.backup({
      collection: 'rk_docs',
      snapshot: 'rk_docs_s1',
      protect: { pinNewest: 1, pinTtl: '30d' },
    });
    await rig.gateway.dropCollection({ db: 'default', collection: 'rk_docs' });

    rig.standin.faults.set({ restoreDurationMs: 20_000 });
    const handle = await rig.env.client.workflow.start(recoverWorkflow, {
      taskQueue,
      workflowId: recoverWorkflowId({ collection: 'rk_docs' }),
      args: [{ collection: 'rk_docs', pollInterval: '500ms' }],
    });
    const before = await waitUntil(
      () => handle.query(recoverProgressQuery),
      (p) => p.state === 'Executing' && p.progress >= 10,
      60_000,
    );

    await rig.killChildWorker();
    await rig.startFreshWorker();
    const result = await handle.result();

    expect(result).toMatchObject({ jobId: before.jobId, rowCount: 64, target: 'rk_docs' });
    expect(rig.standin.faults.callCounts().RestoreExternalSnapshot).toBe(1);
    const jobs = await rig.gateway.listRestoreJobs({ db: 'default', collection: 'rk_docs' });
    expect(jobs.map((j) => j.jobId)).toEqual([before.jobId]);
    expect(await rig.gateway.countRows({ db: 'default', collection: 'rk_docs' })).toBe(64);
  });
});
