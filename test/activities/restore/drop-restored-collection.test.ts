import { startStandin, type Standin } from 'milvus-standin';
import { createDropRestoredCollectionActivities } from '../../../src/activities/restore/drop-restored-collection';
import type { MilvusGateway } from '../../../src/milvus/gateway';
import { createMilvusGateway } from '../../../src/milvus/sdk-gateway';
import { seedSnapshot } from '../../../dev/seed-snapshot';
import { activityContext } from '../../helpers/activity-context';

const db = 'default';
const SOURCE = 'drop_act_items';
const SNAPSHOT = 'drop_act_snap';

/**
 * The restore compensation called in an activity context against the stand-in over TCP: what it
 * reports must survive a retry (an attempt that dropped the target, then timed out).
 */
describe('dropRestoredCollection', () => {
  let standin: Standin;
  let gateway: MilvusGateway;
  let activities: ReturnType<typeof createDropRestoredCollectionActivities>;

  beforeAll(async () => {
    standin = await startStandin({ port: 0 });
    gateway = createMilvusGateway({ address: standin.address });
    activities = createDropRestoredCollectionActivities(gateway);
    await seedSnapshot({ standin, gateway }, { collection: SOURCE, snapshot: SNAPSHOT, rows: 6 });
  });

  afterAll(async () => {
    await gateway?.close();
    await standin?.stop();
  });

  async function restoredTarget(target: string): Promise<string> {
    const { jobId } = await gateway.restoreSnapshot({
      snapshot: SNAPSHOT,
      sourceDb: db,
      sourceCollection: SOURCE,
      targetDb: db,
      targetCollection: target,
    });
    return jobId;
  }

  it('drops the target its job created, heartbeating that it did while the job settles', async () => {
    standin.faults.set({ restoreDurationMs: 2_500 }); // still running when the compensation starts
    const jobId = await restoredTarget('drop_act_first');
    const ctx = activityContext();
    const result = await ctx.run(activities.dropRestoredCollection, {
      target: { db, collection: 'drop_act_first' },
      jobId,
      settleTimeoutMs: 30_000,
    });
    expect(result).toEqual({ dropped: true, jobState: expect.stringMatching(/Completed|Failed/) });
    expect(ctx.heartbeats).toContainEqual({ dropped: true });
    expect(await gateway.hasCollection({ db, collection: 'drop_act_first' })).toBe(false);
  });

  it('a retry after an attempt that dropped the target still reports the drop', async () => {
    standin.faults.reset();
    const jobId = await restoredTarget('drop_act_retry');
    await gateway.dropCollection({ db, collection: 'drop_act_retry' }); // what the first attempt did
    const retry = activityContext({ attempt: 2, heartbeatDetails: { dropped: true } });
    const result = await retry.run(activities.dropRestoredCollection, {
      target: { db, collection: 'drop_act_retry' },
      jobId,
      settleTimeoutMs: 10_000,
    });
    expect(result.dropped).toBe(true);
    const fresh = await activityContext().run(activities.dropRestoredCollection, {
      target: { db, collection: 'drop_act_retry' },
      jobId,
      settleTimeoutMs: 10_000,
    });
    expect(fresh.dropped).toBe(false); // without that heartbeat: nothing was there to drop
  });
});
