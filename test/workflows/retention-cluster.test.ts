import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { seedDemoCollection } from 'milvus-standin';
import { SnapshotWorkerClient } from '../../src/client';
import { retentionApplyWorkflowId } from '../../src/contracts/retention';
import { FailureType } from '../../src/contracts/failures';
import { formatSnapshotDescription } from '../../src/contracts/snapshot-marker';
import type { MilvusGateway } from '../../src/milvus/gateway';
import { rejectionOf } from '../helpers/failure';
import { recordHistory } from '../helpers/history-json';
import { callsPerTest, useStack } from '../helpers/stack';

const db = 'default';

/**
 * Retention on a named cluster: a worker with two clusters (`primary` and `dr`, two stand-ins)
 * holding a collection of the same name, each backed up on its own cluster (a catalog per cluster).
 * Retention with `cluster: 'dr'` lists, drops and renews pins on dr only; the primary stays as it is.
 */
describe('retentionWorkflow on a named cluster', () => {
  const stack = useStack({ dr: {} });
  const dr = () => stack().dr!;
  const primaryCalls = callsPerTest(() => stack().standin);
  const drCalls = callsPerTest(() => dr().standin);
  const client = () => new SnapshotWorkerClient(stack().client, stack().taskQueue);

  /** The collection on both clusters, with backups `<collection>_p<i>` on primary and `_d<i>` on dr. */
  async function backedUpOnBoth(collection: string, protect?: { pinNewest: number; pinTtl: string }) {
    await seedDemoCollection(stack().standin.address, { collection, rows: 10, dim: 4 });
    await seedDemoCollection(dr().standin.address, { collection, rows: 10, dim: 4 });
    for (const i of [1, 2]) await client().backup({ collection, snapshot: `${collection}_p${i}` });
    for (const i of [1, 2])
      await client().backup({ cluster: 'dr', collection, snapshot: `${collection}_d${i}`, protect });
  }

  const snapshotsOn = async (gateway: MilvusGateway, collection: string) =>
    (await gateway.listSnapshots({ db, collection })).sort();

  it('keeps and drops per policy on dr only; the primary namesake is untouched, then pruned on its own', async () => {
    const collection = 'rcl_docs';
    await backedUpOnBoth(collection);
    const primaryBefore = { list: primaryCalls('ListSnapshots'), drop: primaryCalls('DropSnapshot') };

    const onDr = await client().retention({ cluster: 'dr', collection, policy: { keepLast: 1 } });
    expect(onDr.detail).toMatchObject({ snapshots: 2, failed: [] });
    expect(onDr.detail!.dropped.map((d) => d.name)).toEqual(['rcl_docs_d1']);
    expect(onDr.detail!.kept.map((k) => k.name)).toEqual(['rcl_docs_d2']);
    expect(primaryCalls('ListSnapshots')).toBe(primaryBefore.list); // before this test lists them below
    expect(primaryCalls('DropSnapshot')).toBe(primaryBefore.drop);
    expect(await snapshotsOn(dr().gateway, collection)).toEqual(['rcl_docs_d2']);
    expect(await snapshotsOn(stack().gateway, collection)).toEqual(['rcl_docs_p1', 'rcl_docs_p2']);
    // Two catalogs: each cluster's namesake records in its own.
    const primaryCatalog = await client().catalog({ collection });
    const drCatalog = await client().catalog({ cluster: 'dr', collection });
    expect(primaryCatalog.entries.map((e) => e.snapshot).sort()).toEqual(['rcl_docs_p1', 'rcl_docs_p2']);
    expect(drCatalog.entries.map((e) => e.snapshot).sort()).toEqual(['rcl_docs_d1', 'rcl_docs_d2']);
    expect(drCatalog.entries.every((e) => e.cluster === 'dr')).toBe(true);
    const dropped = async () =>
      [
        ...(await client().catalog({ collection })).entries,
        ...(await client().catalog({ cluster: 'dr', collection })).entries,
      ]
        .filter((e) => e.droppedAt !== undefined)
        .map((e) => e.snapshot);
    expect(await dropped()).toEqual(['rcl_docs_d1']);

    // No cluster named: the default (primary); dr keeps what it has.
    const drDrops = drCalls('DropSnapshot');
    const onPrimary = await client().retention({ collection, policy: { keepLast: 1 } });
    expect(onPrimary.detail!.dropped.map((d) => d.name)).toEqual(['rcl_docs_p1']);
    expect(await snapshotsOn(stack().gateway, collection)).toEqual(['rcl_docs_p2']);
    expect(await snapshotsOn(dr().gateway, collection)).toEqual(['rcl_docs_d2']);
    expect(drCalls('DropSnapshot')).toBe(drDrops);
    expect((await dropped()).sort()).toEqual(['rcl_docs_d1', 'rcl_docs_p1']);

    // A dr snapshot named like the primary's catalog entry: dropping it on dr leaves that entry live.
    const description = formatSnapshotDescription('namesake', { labels: {} }); // ours: retention may drop it
    await dr().gateway.createSnapshot({ db, collection, snapshot: 'rcl_docs_p2', description });
    await client().backup({ cluster: 'dr', collection, snapshot: 'rcl_docs_d3' }); // the newest stays anyway
    const namesake = await client().retention({
      cluster: 'dr',
      collection,
      policy: { keepNames: ['rcl_docs_d*'], minKeep: 0 },
    });
    expect(namesake.detail!.dropped.map((d) => d.name)).toEqual(['rcl_docs_p2']);
    expect(await snapshotsOn(stack().gateway, collection)).toEqual(['rcl_docs_p2']);
    expect((await dropped()).sort()).toEqual(['rcl_docs_d1', 'rcl_docs_p1']);
  });

  it("renews a dr pin nearing expiry on dr and drops what rotated out there; the primary's pin is untouched", async () => {
    const collection = 'rcl_prot';
    await backedUpOnBoth(collection, { pinNewest: 1, pinTtl: '4s' }); // rcl_prot_d1 rotates out
    const drEntry = async () =>
      (await client().catalog({ cluster: 'dr', collection })).entries.find(
        (e) => e.snapshot === 'rcl_prot_d2',
      )!;
    const primaryPin = async () =>
      (await client().catalog({ collection })).entries.find((e) => e.snapshot === 'rcl_prot_p2')?.pin;
    const pinned = (await drEntry()).pin!;
    const primaryPinBefore = await primaryPin();
    await new Promise((r) => setTimeout(r, Math.max(0, pinned.expiresAt! - 1_500 - Date.now())));
    const primaryBefore = { pin: primaryCalls('PinSnapshotData'), drop: primaryCalls('DropSnapshot') };

    const handle = await client().startRetention({
      cluster: 'dr',
      collection,
      policy: { keepNames: ['rcl_none'], minKeep: 0 },
    });
    const result = await handle.result();
    await recordHistory(
      stack().client.workflow.getHandle(retentionApplyWorkflowId({ db, collection })),
      'retention-apply-named-cluster.json',
    );
    expect(result.detail?.protection).toMatchObject({ renewed: ['rcl_prot_d2'], unpinned: [], skipped: [] });
    expect(result.detail!.dropped.map((d) => d.name)).toEqual(['rcl_prot_d1']);
    expect(result.detail!.kept.map((k) => k.name)).toEqual(['rcl_prot_d2']);
    expect((await drEntry()).pin!.id).not.toBe(pinned.id);
    expect(primaryCalls('PinSnapshotData')).toBe(primaryBefore.pin);
    expect(await primaryPin()).toEqual(primaryPinBefore); // the primary's catalog is not touched
    expect((await client().catalog({ collection })).entries.every((e) => e.cluster !== 'dr')).toBe(true);
    expect(primaryCalls('DropSnapshot')).toBe(primaryBefore.drop);
    expect(await snapshotsOn(dr().gateway, collection)).toEqual(['rcl_prot_d2']);
    expect(await snapshotsOn(stack().gateway, collection)).toEqual(['rcl_prot_p1', 'rcl_prot_p2']);
  });

  it('a fleet retention passes its options.cluster to every child', async () => {
    await backedUpOnBoth('rclf_a');
    const fleet = await client().fleet({
      operation: 'retention',
      collectionPattern: 'rclf_*',
      options: { cluster: 'dr', policy: { keepLast: 1 } },
    });
    expect(fleet.collections).toMatchObject([
      { collection: 'rclf_a', status: 'done', detail: { snapshots: 2, dropped: 1 } },
    ]);
    expect(await snapshotsOn(dr().gateway, 'rclf_a')).toEqual(['rclf_a_d2']);
    expect(await snapshotsOn(stack().gateway, 'rclf_a')).toEqual(['rclf_a_p1', 'rclf_a_p2']);
  });

  it('refuses a cluster the worker does not have, naming the configured ones', async () => {
    const err = await rejectionOf(
      client().retention({ cluster: 'elsewhere', collection: 'rcl_docs', policy: { keepLast: 1 } }),
      WorkflowFailedError,
    );
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    expect((err.cause as ApplicationFailure).type).toBe(FailureType.RetentionFailed);
    expect(err.cause!.message).toContain(
      `unknown cluster "elsewhere": this worker's configured clusters are primary, dr`,
    );
  });
});
