import { seedDemoCollection } from 'milvus-standin';
import { SnapshotWorkerClient } from '../../src/client';
import { useStack } from '../helpers/stack';

const db = 'default';

/** Retention keeps the protection a backup asked for: renews pins, drops what rotated out, records it. */
describe('retention with protected snapshots', () => {
  const stack = useStack();
  const client = () => new SnapshotWorkerClient(stack().client, stack().taskQueue);

  it('renews pins before they lapse, never drops a protected snapshot, and records its drops in the catalog', async () => {
    const collection = 'rp_docs';
    const protect = { pinNewest: 1, pinTtl: '4s' };
    await seedDemoCollection(stack().standin.address, { collection, rows: 10, dim: 4 });
    await client().backup({ collection, snapshot: 'rp_s1', protect });
    await client().backup({ collection, snapshot: 'rp_s2', protect }); // rp_s1 rotates out
    const pinned = (await client().catalog({ collection })).entries[0].pin!;
    await new Promise((r) => setTimeout(r, Math.max(0, pinned.expiresAt! - 1_500 - Date.now())));

    const result = await client().retention({
      collection,
      policy: { keepNames: ['rp_none'], minKeep: 0 },
    });
    expect(result.detail?.protection).toMatchObject({ renewed: ['rp_s2'], unpinned: [] });
    expect(result.detail?.dropped.map((d) => d.name)).toEqual(['rp_s1']);
    expect(result.detail?.kept.map((k) => k.name)).toEqual(['rp_s2']);
    const catalog = await client().catalog({ collection });
    expect(catalog.entries.map((e) => [e.snapshot, e.droppedAt !== undefined])).toEqual([
      ['rp_s2', false],
      ['rp_s1', true],
    ]);
    expect(catalog.entries[0].pin!.id).not.toBe(pinned.id);
    expect(await stack().gateway.listSnapshots({ db, collection })).toEqual(['rp_s2']);
  });
});
