import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { seedDemoCollection } from 'milvus-standin';
import { SnapshotWorkerClient } from '../../src/client';
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
        ['flushCollection', `flush default.${COLLECTION}`],
        ['createSnapshot', `create snapshot default.${COLLECTION} @ ${COLLECTION}_meta1`],
        ['verifySnapshot', `verify snapshot default.${COLLECTION} @ ${COLLECTION}_meta1`],
      ]),
    );
    expect(activities.every(([, summary]) => typeof summary === 'string' && summary.length > 0)).toBe(true);
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
});
