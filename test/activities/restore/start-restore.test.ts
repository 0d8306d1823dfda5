import { ApplicationFailure } from '@temporalio/common';
import { startStandin, type Standin } from 'milvus-standin';
import { createStartRestoreActivities } from '../../../src/activities/restore/start-restore';
import type { MilvusGateway } from '../../../src/milvus/gateway';
import { createMilvusGateway } from '../../../src/milvus/sdk-gateway';
import { rejectionOf } from '../../helpers/failure';
import { seedSnapshot } from '../../../dev/seed-snapshot';

const db = 'default';
const SOURCE = 'start_act_items';
const SNAPSHOT = 'start_act_snap';

/** The start step called directly against the stand-in over TCP (no Temporal needed for these). */
describe('startOrAdoptRestoreJob against the stand-in', () => {
  let standin: Standin;
  let gateway: MilvusGateway;
  let activities: ReturnType<typeof createStartRestoreActivities>;

  beforeAll(async () => {
    standin = await startStandin({ port: 0 });
    gateway = createMilvusGateway({ address: standin.address });
    activities = createStartRestoreActivities(gateway);
    await seedSnapshot({ standin, gateway }, { collection: SOURCE, snapshot: SNAPSHOT, rows: 6 });
  });

  afterAll(async () => {
    await gateway?.close();
    await standin?.stop();
  });

  beforeEach(() => standin.faults.reset());

  function input(target: string, notBeforeMs = Date.now()) {
    return {
      snapshot: SNAPSHOT,
      sourceDb: db,
      sourceCollection: SOURCE,
      targetDb: db,
      targetCollection: target,
      notBeforeMs,
    };
  }

  it('adopts the job of a RestoreSnapshot a dead attempt sent when Milvus refuses the target as existing', async () => {
    // The dead attempt's request reaches Milvus first; ours finds no target, then is refused.
    standin.faults.set({ latencyByMethod: { RestoreSnapshot: 1_000 } });
    const earlier = gateway.restoreSnapshot(input('start_act_race'));
    await new Promise((r) => setTimeout(r, 100));
    const started = await activities.startOrAdoptRestoreJob(input('start_act_race', Date.now() - 1_000));
    const { jobId } = await earlier;
    expect(started).toMatchObject({ jobId, adopted: true });
    expect(standin.faults.callCounts().RestoreSnapshot).toBe(2); // ours was refused: still one job
    expect(await gateway.listRestoreJobs({ db, collection: 'start_act_race' })).toHaveLength(1);
  });

  it('refuses an existing target without a job of this run, naming the rule', async () => {
    const old = await gateway.restoreSnapshot(input('start_act_taken'));
    // A run that started an hour after that job: it is not ours.
    const err = await rejectionOf(
      activities.startOrAdoptRestoreJob(input('start_act_taken', Date.now() + 3_600_000)),
      ApplicationFailure,
    );
    expect(err.type).toBe('TargetRestoreInProgress');
    expect(err.message).toContain(`restore job ${old.jobId} of snapshot "${SNAPSHOT}"`);
  });
});
