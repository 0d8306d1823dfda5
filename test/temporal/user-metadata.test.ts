import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { seedDemoCollection } from 'milvus-standin';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { waitUntil } from '../../dev/wait-until';
import { recordHistory } from '../helpers/history-json';
import { SnapshotWorkerClient } from '../../src/client';
import { renderDrillReport } from '../../src/drill/render-report';
import { RESTORE_STATE } from '../../src/temporal/search-attributes';
import { currentDetails } from '../helpers/current-details';
import { useStack } from '../helpers/stack';

const COLLECTION = 'meta_items';

function summaryOf(metadata: temporal.api.sdk.v1.IUserMetadata | null | undefined): string | undefined {
  return metadata?.summary ? defaultPayloadConverter.fromPayload<string>(metadata.summary) : undefined;
}

/** Temporal's user metadata as the UI reads it: static summaries, activity summaries, current details. */
describe('user metadata in the Temporal UI', () => {
  const stack = useStack({
    prepare: (s) => seedDemoCollection(s.standin.address, { collection: COLLECTION, rows: 60, dim: 4 }),
  });
  const client = () => new SnapshotWorkerClient(stack().client, stack().taskQueue);

  it('a backup started by the client has a static summary, and each of its activities one', async () => {
    const handle = await client().startBackup({ collection: COLLECTION, snapshot: `${COLLECTION}_meta1` });
    await handle.result();
    const description = await handle.describe();
    await expect(description.staticSummary()).resolves.toBe(
      `backup default.${COLLECTION} → ${COLLECTION}_meta1`,
    );
    const history = await handle.fetchHistory();
    const activities = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => [e.activityTaskScheduledEventAttributes?.activityType?.name, summaryOf(e.userMetadata)]);
    expect(activities).toEqual(
      expect.arrayContaining([
        ['createSnapshot', `create snapshot default.${COLLECTION} @ ${COLLECTION}_meta1`],
        ['flushCollection', `flush default.${COLLECTION}`],
      ]),
    );
    expect(activities.every(([, summary]) => typeof summary === 'string' && summary.length > 0)).toBe(true);

    // The short reads run as local activities: their summaries are on their markers.
    const localActivities = (history.events ?? [])
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map((e) => summaryOf(e.userMetadata));
    expect(localActivities).toEqual(
      expect.arrayContaining([
        `look up snapshot default.${COLLECTION} @ ${COLLECTION}_meta1`,
        `count rows of default.${COLLECTION}`,
        `verify snapshot default.${COLLECTION} @ ${COLLECTION}_meta1`,
      ]),
    );
  });

  it("a schedule's action carries the summary of the runs it starts", async () => {
    const scheduleId = await client().scheduleBackup(
      { collection: COLLECTION },
      { cron: '0 2 * * *', paused: true, scheduleId: `meta-schedule-${Date.now()}` },
    );
    const description = await stack().client.schedule.getHandle(scheduleId).describe();
    expect(description.action.type).toBe('startWorkflow');
    expect(description.action.type === 'startWorkflow' && description.action.staticSummary).toBe(
      `backup default.${COLLECTION} → ${COLLECTION}_{yyyyMMdd_HHmmss}`,
    );
    await stack().client.schedule.getHandle(scheduleId).delete();
  });

  it("a backup's current details show its step and what the step waits for, then its end", async () => {
    const snapshot = `${COLLECTION}_details`;
    stack().standin.faults.set({ latencyByMethod: { GetFlushState: 3_000 } });
    try {
      const handle = await client().startBackup({ collection: COLLECTION, snapshot, flushTimeout: '5m' });
      const flushing = await waitUntil(
        () => currentDetails(handle),
        (d) => d.includes('step: **flush**'),
      );
      expect(flushing).toBe(
        [
          `**Backup** \`${snapshot}\` of default.${COLLECTION}`,
          '',
          '- step: **flush**',
          `- waiting for: Milvus to flush default.${COLLECTION}: Flush, then GetFlushState until the flush is done (gives up after 300 s)`,
        ].join('\n'),
      );
      const result = await handle.result();
      await expect(currentDetails(handle)).resolves.toBe(
        [
          `**Backup** \`${snapshot}\` of default.${COLLECTION}`,
          '',
          '- step: **done**',
          `- rows after the flush: ${result.rowCount}`,
        ].join('\n'),
      );
    } finally {
      stack().standin.faults.reset();
    }
  });

  it("a failed backup's current details say it failed, in which step, and why", async () => {
    const handle = await client().startBackup({ collection: 'meta_absent', snapshot: 'meta_absent_s' });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const details = await currentDetails(handle);
    expect(details).toContain('- step: **inspect**');
    expect(details).toMatch(/- ended: failed: .*meta_absent/);
    expect(details).not.toContain('waiting for');
  });

  describe('current details and final search attributes of restores', () => {
    const snapshot = `${COLLECTION}_for_restores`;
    let restores = 0;
    beforeAll(() => client().backup({ collection: COLLECTION, snapshot }));
    afterEach(() => stack().standin.faults.reset());

    const startRestore = () =>
      client().startRestore({
        snapshot,
        sourceCollection: COLLECTION,
        targetCollection: `${COLLECTION}_r${++restores}`,
        pollInterval: '200ms',
      });
    const restoreState = async (handle: WorkflowHandle) =>
      (await handle.describe()).typedSearchAttributes.get(RESTORE_STATE);

    it("show the job's state and % while the restore waits, and its end", async () => {
      stack().standin.faults.set({ restoreDurationMs: 6000 });
      const handle = await startRestore();
      const live = await waitUntil(
        () => currentDetails(handle),
        (d) => /Executing\*\*, \d+ %/.test(d),
      );
      expect(live).toContain(`\`${snapshot}\` of default.${COLLECTION} → default.${COLLECTION}_r${restores}`);
      expect(live).toContain('phase: **waiting**');
      await handle.result();
      await expect(currentDetails(handle)).resolves.toMatch(
        /phase: \*\*completed\*\*[\s\S]*Completed\*\*, 100 %/,
      );
      await expect(restoreState(handle)).resolves.toBe('Completed');
    });

    it('a failed restore ends with RestoreState Failed, not the last job state', async () => {
      stack().standin.faults.set({ restoreDurationMs: 3000, restoreFailAtPercent: 50 });
      const handle = await startRestore();
      await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      await recordHistory(handle, 'restoreWorkflow-failed.json');
      await expect(restoreState(handle)).resolves.toBe('Failed');
      await expect(currentDetails(handle)).resolves.toContain('phase: **failed**');
    });

    it('a cancelled restore ends with RestoreState Cancelled, not Executing', async () => {
      stack().standin.faults.set({ restoreDurationMs: 8000 }); // the cleanup waits for the job to end
      const handle = await startRestore();
      await waitUntil(
        () => restoreState(handle),
        (state) => state === 'Executing',
      );
      await handle.cancel();
      await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      await recordHistory(handle, 'restoreWorkflow-cancelled.json');
      await expect(restoreState(handle)).resolves.toBe('Cancelled');
    });
  });

  it("a drill's current details are its Markdown report once it ends", async () => {
    const handle = await client().startDrill({ collection: COLLECTION, source: 'latest', sampleSize: 10 });
    const report = await handle.result();
    await expect(currentDetails(handle)).resolves.toBe(renderDrillReport(report));
  });
});
