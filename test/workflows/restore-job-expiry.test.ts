import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isMilvusError } from '../../src/milvus/errors';
import { restoreWorkflow } from '../../src/workflows/restore';
import { restoreProgressQuery, restoreWorkflowId } from '../../src/contracts/restore';
import { rejectionOf } from '../helpers/failure';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../../dev/wait-until';
import { callsPerTest } from '../helpers/stack';
import { useWorkerKill } from '../helpers/worker-kill';

const SOURCE = 'expiry_items';
const SNAPSHOT = 'expiry_snap';
const ROWS = 40;
/** Simulated ms per real ms while nobody polls: the job ends and its 3 h retention passes in < 1 s. */
const FAST = 100_000;

/**
 * Milvus forgets a finished restore job 3 h after it ends (snapshot_manager.go GetRestoreState
 * answers 2101 once copySegmentTaskRetention has passed). The worker is killed mid-wait, the
 * stand-in's simulated clock runs the job to its end and past that retention, then a fresh worker
 * resumes the wait: the outcome is decided from the target, never a hang and never a failed
 * restore that succeeded.
 */
describe('restoreWorkflow when Milvus forgot the job while nobody polled', () => {
  const rig = useWorkerKill((stack) =>
    seedSnapshot(stack, { collection: SOURCE, snapshot: SNAPSHOT, rows: ROWS }),
  );

  const calls = callsPerTest(() => rig.standin);

  async function isForgotten(jobId: string): Promise<boolean> {
    try {
      await rig.gateway.getRestoreState(jobId);
      return false;
    } catch (err) {
      if (isMilvusError(err) && err.kind === 'RestoreJobNotFound') return true;
      throw err;
    }
  }

  /**
   * Starts restores on a child worker, waits until their jobs run, kills the worker, lets the
   * jobs end and be forgotten on the simulated clock, then starts a fresh worker.
   */
  async function restoresOutlivingTheirJobs(targets: string[], beforeResume?: () => Promise<void>) {
    const taskQueue = await rig.startChildWorker('restore-expiry');
    const handles: WorkflowHandle<typeof restoreWorkflow>[] = [];
    for (const target of targets) {
      const args = { snapshot: SNAPSHOT, sourceCollection: SOURCE, targetCollection: target };
      handles.push(
        await rig.env.client.workflow.start(restoreWorkflow, {
          taskQueue,
          workflowId: restoreWorkflowId(args),
          args: [{ ...args, pollInterval: '250ms' }],
        }),
      );
    }
    const jobIds: string[] = [];
    for (const handle of handles) {
      const seen = await waitUntil(
        () => handle.query(restoreProgressQuery),
        (p) => p.state === 'Executing',
        60_000,
      );
      jobIds.push(String(seen.jobId));
    }
    await rig.killChildWorker();
    rig.standin.faults.set({ timeScale: FAST });
    for (const jobId of jobIds) await waitUntil(() => isForgotten(jobId), Boolean, 30_000, 20);
    rig.standin.faults.set({ timeScale: 1 });
    await beforeResume?.();
    await rig.startFreshWorker();
    return { handles, jobIds };
  }

  it('a job that completed and was forgotten: verification proves the rows, the restore succeeds', async () => {
    rig.standin.faults.set({ restoreDurationMs: 60_000 });
    const gone = { db: 'default', collection: 'expiry_dropped' };
    const {
      handles: [done, dropped],
      jobIds: [doneJob],
    } = await restoresOutlivingTheirJobs(['expiry_done', gone.collection], () =>
      rig.gateway.dropCollection(gone),
    );

    const result = await done.result();
    expect(result).toMatchObject({ jobId: doneJob, jobForgotten: true, verifiedRowCount: ROWS });
    expect(result.verification.passed).toBe(true);

    // The other target was dropped by hand meanwhile: nothing to verify, a clear failure.
    const err = await rejectionOf(dropped.result(), WorkflowFailedError);
    const cause = err.cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause.type).toBe('RestoreJobNotFound');
    expect(cause.message).toContain('is no longer known to Milvus (it forgets a job 3 h after it ends)');
    expect(cause.message).toContain('the target does not exist');
    expect(cause.message).toContain('restore job not found');
    expect(calls('RestoreSnapshot')).toBe(2);
  });

  it('a job that failed and was forgotten: the target it kept fails verification and is dropped', async () => {
    rig.standin.faults.set({ restoreDurationMs: 60_000, restoreFailAtPercent: 50 });
    const target = { db: 'default', collection: 'expiry_failed' };
    let keptByMilvus = false;
    const {
      handles: [handle],
    } = await restoresOutlivingTheirJobs([target.collection], async () => {
      keptByMilvus = await rig.gateway.hasCollection(target);
    });
    expect(keptByMilvus).toBe(true); // a failed job keeps its target (copy_segment_checker.go)

    const err = await rejectionOf(handle.result(), WorkflowFailedError);
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('RestoreVerificationFailed');
    expect(cause.message).toContain(`row count 0 differs from the snapshot's ${ROWS}`);
    expect(cause.message).toContain(
      `The partially restored target default.${target.collection} was dropped.`,
    );
    expect(await rig.gateway.hasCollection(target)).toBe(false);
  });
});
