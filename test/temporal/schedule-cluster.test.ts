import { seedDemoCollection } from 'milvus-standin';
import { waitUntil } from '../../dev/wait-until';
import { SnapshotWorkerClient } from '../../src/client';
import type { BackupResult } from '../../src/contracts/backup';
import { useStack } from '../helpers/stack';

const db = 'default';

/**
 * Schedule ids carry the cluster as run ids do: a worker with two clusters (`primary` and `dr`,
 * two stand-ins) holding a collection of the same name gets one backup schedule per cluster
 * without `scheduleId`, and the dr schedule's run backs up the dr namesake only.
 */
describe('schedules of namesakes on two clusters', () => {
  const stack = useStack({ dr: {} });
  const dr = () => stack().dr!;
  const client = () => new SnapshotWorkerClient(stack().client, stack().taskQueue);

  it('get their own ids (cluster segment for the named cluster) and run on their own cluster', async () => {
    const collection = 'sch_docs';
    await seedDemoCollection(stack().standin.address, { collection, rows: 10, dim: 4 });
    await seedDemoCollection(dr().standin.address, { collection, rows: 12, dim: 4 });
    const schedule = { every: '24h', paused: true };
    const primaryId = await client().scheduleBackup({ collection }, schedule);
    const drId = await client().scheduleBackup({ cluster: 'dr', collection }, schedule);
    const retentionId = await client().scheduleRetention(
      { cluster: 'dr', collection, policy: { keepLast: 1 } },
      schedule,
    );
    try {
      expect([primaryId, drId, retentionId]).toEqual([
        `backup-schedule:${db}.${collection}`,
        `backup-schedule:dr/${db}.${collection}`,
        `retention-schedule:dr/${db}.${collection}`,
      ]);
      const rows = (await client().listSchedules()).filter((r) => r.target === `${db}.${collection}`);
      expect(rows.map((r) => r.scheduleId).sort()).toEqual([primaryId, drId, retentionId].sort());

      await client().triggerSchedule(drId);
      const handle = stack().client.schedule.getHandle(drId);
      const [run] = await waitUntil(
        async () => (await handle.describe()).info.recentActions,
        (actions) => actions.length > 0,
      );
      const result: BackupResult = await stack()
        .client.workflow.getHandle(run.action.workflow.workflowId)
        .result();
      expect(result).toMatchObject({ db, collection, rowCount: 12 });
      expect(await dr().gateway.listSnapshots({ db, collection })).toEqual([result.snapshot]);
      expect(await stack().gateway.listSnapshots({ db, collection })).toEqual([]);
    } finally {
      for (const id of [primaryId, drId, retentionId]) await client().deleteSchedule(id);
    }
  });
});
