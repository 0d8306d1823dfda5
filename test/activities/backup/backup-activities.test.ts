import { ApplicationFailure } from '@temporalio/common';
import { createBackupActivities } from '../../../src/activities/backup';
import { verifyScratchCollection } from '../../../src/activities/backup/count-rows';
import { startStandin, type Standin, seedDemoCollection } from 'milvus-standin';
import type { MilvusGateway } from '../../../src/milvus/gateway';
import { createMilvusGateway } from '../../../src/milvus/sdk-gateway';
import { parseSnapshotMarker } from '../../../src/contracts/snapshot-marker';
import { activityContext, inActivityContext } from '../../helpers/activity-context';
import { insertDemoRows } from '../../helpers/backup';

/** The backup activities called directly against the stand-in over TCP through the real SDK gateway. */
describe('backup activities against the stand-in', () => {
  let standin: Standin;
  let gateway: MilvusGateway;
  let activities: ReturnType<typeof createBackupActivities>;
  const run = { workflowId: 'backup:default.acts:snap', runId: 'run-a' };

  beforeAll(async () => {
    standin = await startStandin({ port: 0 });
    gateway = createMilvusGateway({ address: standin.address });
    activities = inActivityContext(createBackupActivities(gateway));
  });

  afterAll(async () => {
    await gateway?.close();
    await standin?.stop();
  });

  afterEach(() => standin.faults.reset());

  async function seeded(collection: string, rows: number, flush = true) {
    await seedDemoCollection(standin.address, { collection, rows, dim: 4, flush });
    return { db: 'default', collection };
  }

  it('flushCollection seals growing rows and returns once GetFlushState says flushed', async () => {
    const coll = await seeded('acts_flush', 30, false);
    const result = await activities.flushCollection({ ...coll, timeoutSeconds: 30, pollIntervalMs: 50 });
    expect(result.segmentIds.length).toBeGreaterThan(0);
    expect(await gateway.isFlushed(coll, result)).toBe(true);
    expect(standin.faults.callCounts().GetFlushState).toBeGreaterThanOrEqual(result.polls);
    expect((await activities.countCollectionRows(coll)).rows).toBe(30);
  });

  it('flushCollection heartbeats its flush; a retried attempt given that heartbeat waits on it, flushing nothing', async () => {
    const coll = await seeded('acts_resume', 12, false);
    const { flushCollection } = createBackupActivities(gateway);
    const input = { ...coll, timeoutSeconds: 30, pollIntervalMs: 50 };
    const first = activityContext();
    const flushed = await first.run(flushCollection, input);
    expect(first.heartbeats.length).toBeGreaterThan(0);
    expect(first.heartbeats.at(-1)).toEqual({ segmentIds: flushed.segmentIds, flushTs: flushed.flushTs });

    const flushesBefore = standin.faults.callCounts().Flush;
    const retried = await activityContext({ heartbeatDetails: first.heartbeats.at(-1) }).run(
      flushCollection,
      input,
    );
    expect(retried.flushTs).toBe(flushed.flushTs);
    expect(standin.faults.callCounts().Flush).toBe(flushesBefore);
  });

  it('createSnapshot writes the marker and is idempotent for the same run', async () => {
    const coll = await seeded('acts_create', 20);
    const input = {
      ...coll,
      snapshot: 'acts_create_s1',
      description: 'nightly',
      labels: { env: 'test' },
      rows: 20,
      flushed: true,
      run,
    };
    const first = await activities.createSnapshot(input);
    const second = await activities.createSnapshot(input);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(await gateway.listSnapshots(coll)).toEqual(['acts_create_s1']);
    const marker = parseSnapshotMarker(
      (await gateway.describeSnapshot({ ...coll, snapshot: 'acts_create_s1' })).description,
    );
    expect(marker).toMatchObject({ labels: { env: 'test' }, rows: 20, flushed: true, ...run });
    expect(standin.faults.callCounts().CreateSnapshot).toBe(2);
  });

  it('createSnapshot refuses a snapshot of the same name made by another run', async () => {
    const coll = await seeded('acts_other', 10);
    await gateway.createSnapshot({ ...coll, snapshot: 'acts_other_s', description: 'made by hand' });
    const attempt = activities.createSnapshot({
      ...coll,
      snapshot: 'acts_other_s',
      description: '',
      labels: {},
      rows: 10,
      flushed: true,
      run,
    });
    await expect(attempt).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(attempt).rejects.toMatchObject({ type: 'SnapshotAlreadyExists', nonRetryable: true });
    expect((await gateway.describeSnapshot({ ...coll, snapshot: 'acts_other_s' })).description).toBe(
      'made by hand',
    );
  });

  it('inspectSnapshot tells absent, foreign and own snapshots apart', async () => {
    const coll = await seeded('acts_inspect', 10);
    expect(await activities.inspectSnapshot({ ...coll, snapshot: 'nope', run })).toEqual({ exists: false });
    await gateway.createSnapshot({ ...coll, snapshot: 'foreign', description: 'x' });
    await activities.createSnapshot({
      ...coll,
      snapshot: 'own',
      description: '',
      labels: {},
      flushed: true,
      run,
    });
    const foreign = await activities.inspectSnapshot({ ...coll, snapshot: 'foreign', run });
    const own = await activities.inspectSnapshot({ ...coll, snapshot: 'own', run });
    expect(foreign).toMatchObject({ exists: true, madeByRun: false });
    expect(foreign.exists && foreign.marker).toBeUndefined();
    expect(own).toMatchObject({ exists: true, madeByRun: true });
  });

  it('verifySnapshot passes for the snapshot just made, though its create_ts precedes the call, and names every mismatch otherwise', async () => {
    const coll = await seeded('acts_verify', 15);
    const ref = { ...coll, snapshot: 'acts_verify_s' };
    const startedAt = Date.now();
    await activities.createSnapshot({
      ...ref,
      description: 'd',
      labels: { a: 'b' },
      rows: 15,
      flushed: true,
      run,
    });
    const good = await activities.verifySnapshot({
      ...ref,
      run,
      expectedRows: 15,
      expectedLabels: { a: 'b' },
    });
    expect(good.problems).toEqual([]);
    expect(good.ok).toBe(true);
    // create_ts is the channel checkpoint of the seed's flush: a lower bound, earlier than the create.
    expect(good.info.createTs).toBeLessThan(startedAt);
    expect(good.checks.join('\n')).toMatch(/holds at least the data written before it/);
    expect(good.checks.length).toBeGreaterThanOrEqual(6);

    const bad = await activities.verifySnapshot({
      ...ref,
      run: { ...run, runId: 'another-run' },
      expectedRows: 16,
      expectedLabels: { a: 'c' },
    });
    expect(bad.ok).toBe(false);
    expect(bad.problems).toHaveLength(3);
    expect(bad.problems.join('\n')).toMatch(/marker names run .*, not this one/);
    expect(bad.problems.join('\n')).toMatch(/marker records 15 rows, expected 16/);
  });

  it('dropSnapshotIfMadeByRun drops only what this run made', async () => {
    const coll = await seeded('acts_drop', 10);
    await gateway.createSnapshot({ ...coll, snapshot: 'theirs', description: 'x' });
    await activities.createSnapshot({
      ...coll,
      snapshot: 'mine',
      description: '',
      labels: {},
      flushed: true,
      run,
    });
    expect(await activities.dropSnapshotIfMadeByRun({ ...coll, snapshot: 'theirs', run })).toEqual({
      dropped: false,
      reason: 'not-made-by-run',
    });
    expect(await activities.dropSnapshotIfMadeByRun({ ...coll, snapshot: 'mine', run })).toEqual({
      dropped: true,
    });
    expect(await activities.dropSnapshotIfMadeByRun({ ...coll, snapshot: 'mine', run })).toEqual({
      dropped: false,
      reason: 'not-found',
    });
    expect((await gateway.listSnapshots(coll)).sort()).toEqual(['theirs']);
  });

  it('an empty collection snapshots fine and its snapshot counts 0 rows', async () => {
    const coll = await seeded('acts_empty', 0);
    const ref = { ...coll, snapshot: 'acts_empty_s' };
    await activities.createSnapshot({ ...ref, description: '', labels: {}, rows: 0, flushed: true, run });
    expect((await activities.verifySnapshot({ ...ref, run, expectedRows: 0 })).problems).toEqual([]);
    standin.faults.set({ restoreDurationMs: 100 });
    const counted = await activities.countSnapshotRows({ ...ref, timeoutSeconds: 60, pollIntervalMs: 50 });
    expect(counted.rows).toBe(0);
    expect(await gateway.hasCollection({ db: 'default', collection: counted.scratchCollection })).toBe(false);
  });

  it('countSnapshotRows restores into a scratch collection, counts flushed rows only, and drops it', async () => {
    const coll = await seeded('acts_count', 40);
    await insertDemoRows(standin.address, { ...coll, start: 40, count: 7, dim: 4 });
    standin.faults.set({ restoreDurationMs: 200 });
    await gateway.createSnapshot({ ...coll, snapshot: 'acts_count_s', description: '' });
    const counted = await activities.countSnapshotRows({
      ...coll,
      snapshot: 'acts_count_s',
      timeoutSeconds: 60,
      pollIntervalMs: 50,
    });
    expect(counted.rows).toBe(40);
    expect(await gateway.statisticsRowCount(coll)).toBe(47);
    expect(counted.scratchCollection).toBe(verifyScratchCollection('acts_count_s'));
    expect(await gateway.hasCollection({ db: 'default', collection: counted.scratchCollection })).toBe(false);
  });
});
