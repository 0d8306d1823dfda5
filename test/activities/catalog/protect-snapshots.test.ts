import { MockActivityEnvironment } from '@temporalio/testing';
import { createCatalogActivities } from '../../../src/activities/catalog';
import type { CatalogEntry } from '../../../src/contracts/catalog';
import { isMilvusError } from '../../../src/milvus/errors';
import { seedSnapshot } from '../../../dev/seed-snapshot';
import { callsPerTest, useStack } from '../../helpers/stack';

const db = 'default';
const COLLECTION = 'protect_items';
const ref = { db, collection: COLLECTION };

/**
 * Protection against the stand-in and a real Temporal dev server: the catalog is a workflow, so the
 * activities reach it through the worker's client (signalWithStart, query) as on a worker.
 */
describe('protectSnapshots', () => {
  const stack = useStack({
    prepare: (s) => seedSnapshot(s, { collection: COLLECTION, snapshot: 'protect_s1', rows: 5 }),
  });
  const calls = callsPerTest(() => stack().standin);

  function activities(heartbeatDetails?: unknown) {
    const env = new MockActivityEnvironment(
      { taskQueue: stack().taskQueue, ...(heartbeatDetails ? { heartbeatDetails } : {}) },
      { client: stack().client },
    );
    const all = createCatalogActivities(stack().gateway, stack().resources);
    const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A) =>
      env.run(fn, ...args) as Promise<R>;
    return {
      record: (entry: CatalogEntry) =>
        run(all.recordCatalogChange, { ...ref, change: { kind: 'verified' as const, entry } }),
      read: () => run(all.readCatalog, ref),
      protect: (policy?: { pinNewest: number; pinTtl: string | number }) =>
        run(all.protectSnapshots, { ...ref, ...(policy ? { policy } : {}) }),
    };
  }

  async function verified(snapshot: string): Promise<CatalogEntry> {
    if (snapshot !== 'protect_s1') await stack().gateway.createSnapshot({ ...ref, snapshot });
    const info = await stack().gateway.describeSnapshot({ ...ref, snapshot });
    const entry: CatalogEntry = {
      ...ref,
      snapshot,
      createTs: info.createTs,
      rowCount: 5,
      metadataUri: info.s3Location,
      verifiedAt: Date.now(),
      recordedBy: { workflowId: 'test', runId: 'test' },
    };
    await activities().record(entry);
    return entry;
  }

  async function isPinned(snapshot: string): Promise<boolean> {
    // DropSnapshot of a pinned snapshot is refused with 2601; a probe snapshot is never dropped here.
    const err = await stack()
      .gateway.dropSnapshot({ ...ref, snapshot })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (err === undefined) throw new Error(`${snapshot} was not pinned and is now dropped`);
    return isMilvusError(err) && err.kind === 'SnapshotPinned';
  }

  it('pins the newest N, rotates older ones out, and leaves pins it did not make', async () => {
    await verified('protect_s1');
    await verified('protect_s2');
    const first = await activities().protect({ pinNewest: 2, pinTtl: '30d' });
    expect(first).toMatchObject({ pinned: ['protect_s2', 'protect_s1'], renewed: [], unpinned: [] });
    expect(calls('PinSnapshotData')).toBe(2);

    const foreign = await stack().gateway.pinSnapshot({ ...ref, snapshot: 'protect_s1' }, 0);
    await verified('protect_s3');
    // Retention's call: the policy comes from the catalog.
    const second = await activities().protect();
    expect(second).toMatchObject({
      policy: { pinNewest: 2 },
      pinned: ['protect_s3'],
      unpinned: ['protect_s1'],
    });
    const catalog = await activities().read();
    expect(catalog.entries.map((e) => [e.snapshot, !!e.pin])).toEqual([
      ['protect_s3', true],
      ['protect_s2', true],
      ['protect_s1', false],
    ]);
    expect(await isPinned('protect_s1')).toBe(true); // the foreign pin holds
    await stack().gateway.unpinSnapshot(foreign.pinId);
    expect(await activities().protect()).toMatchObject({ pinned: [], renewed: [], unpinned: [] });
  });

  it('renews a pin once less than half its TTL remains, releasing the old one', async () => {
    await activities().protect({ pinNewest: 0, pinTtl: 0 });
    await activities().protect({ pinNewest: 1, pinTtl: '2s' });
    const before = (await activities().read()).entries[0].pin!;
    await new Promise((r) => setTimeout(r, Math.max(0, before.expiresAt! - 900 - Date.now())));
    const outcome = await activities().protect();
    expect(outcome.renewed).toEqual([(await activities().read()).entries[0].snapshot]);
    const after = (await activities().read()).entries[0].pin!;
    expect(after.id).not.toBe(before.id);
    expect(calls('UnpinSnapshotData')).toBeGreaterThanOrEqual(1);
  });

  it('records a pin a crashed attempt made (its heartbeat) instead of pinning again', async () => {
    await activities().protect({ pinNewest: 0, pinTtl: 0 }); // no pin of ours left
    const newest = (await activities().read()).entries[0];
    const made = await stack().gateway.pinSnapshot({ ...ref, snapshot: newest.snapshot }, 0);
    const pinsBefore = calls('PinSnapshotData');
    const retried = activities({
      made: [{ snapshot: newest.snapshot, id: made.pinId, pinnedAt: Date.now(), expiresAt: null }],
    });
    const outcome = await retried.protect({ pinNewest: 1, pinTtl: 0 });
    expect(outcome.pinned).toEqual([]);
    expect(calls('PinSnapshotData')).toBe(pinsBefore);
    expect((await activities().read()).entries[0].pin?.id).toBe(made.pinId);
  });
});
