import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportProgressQuery, exportWorkflowId, type ExportInput } from '../../src/contracts/export';
import { clustersOf, storageProfilesOf } from '../../src/activities/worker-resources';
import { exportWorkflow } from '../../src/workflows/export';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../../dev/wait-until';
import { startWorkerChild, type WorkerChild } from '../../dev/worker-child';
import { startStack, type BareStack } from '../helpers/stack';
import { startWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/temporal';

const TARGET = 'minio://127.0.0.1:9000/offsite/kill';

/**
 * The worker process is SIGKILLed while it waits for the export job; a fresh worker takes over
 * once the heartbeat timeout expires and adopts the job the dead one recorded: one ExportSnapshot,
 * one job, completed.
 */
describe('exportWorkflow after a worker SIGKILL mid-wait', () => {
  const store = mkdtempSync(join(tmpdir(), 'export-kill-store-'));
  let stack: BareStack | undefined;
  let child: WorkerChild | undefined;
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    stack = await startStack({ worker: false, standin: { storage: { objectStoreDir: store } } });
    await seedSnapshot(stack, { collection: 'kill_items', snapshot: 'kill_snap', rows: 48, segments: 8 });
  });

  afterAll(async () => {
    await child?.kill();
    await worker?.stop();
    await stack?.stop();
    rmSync(store, { recursive: true, force: true });
  });

  it('resumes on another worker on the same export job, which completes once', async () => {
    const { env, standin, gateway } = stack!;
    const taskQueue = uniqueTaskQueue('export-kill');
    child = await startWorkerChild({
      temporalAddress: env.address,
      taskQueue,
      milvusAddress: standin.address,
      workerConfig: { profiles: { offsite: { targetS3Path: TARGET } } },
    });
    standin.faults.set({ exportDurationMs: 15_000 });
    const input: ExportInput = {
      collection: 'kill_items',
      snapshot: 'kill_snap',
      profile: 'offsite',
      pollInterval: '500ms',
    };
    const handle = await env.client.workflow.start(exportWorkflow, {
      taskQueue,
      workflowId: exportWorkflowId(input),
      args: [input],
    });
    const before = await waitUntil(
      () => handle.query(exportProgressQuery),
      (p) => p.state === 'Executing' && p.progress >= 10,
      60_000,
    );

    await child.kill();
    const resources = {
      clusters: clustersOf([['primary', gateway]]),
      profiles: storageProfilesOf([{ name: 'offsite', targetS3Path: TARGET }]),
    };
    worker = await startWorker(env, resources, taskQueue);
    const result = await handle.result();

    expect(result.jobId).toBe(before.jobId);
    expect(result.metadataUri).toMatch(/^minio:\/\/127\.0\.0\.1:9000\/offsite\/kill\/exports\//);
    expect(standin.faults.callCounts().ExportSnapshot).toBe(1);
    expect((await gateway.getExportState(result.jobId)).state).toBe('Completed');

    // The wait ran again (a later attempt) after the dead worker's heartbeat timed out.
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'waitForExportJob',
    );
    expect(scheduled).toHaveLength(1);
    const started = events.find(
      (e) =>
        e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() ===
        scheduled[0].eventId?.toString(),
    );
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(2);
  });
});
