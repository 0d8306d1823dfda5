import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { seedDemoCollection } from 'milvus-standin';
import { SnapshotWorkerClient } from '../../src/client';
import { FailureType } from '../../src/contracts/failures';
import { InputError } from '../../src/contracts/parse-input';
import { expectDemoRows } from '../helpers/demo-rows';
import { recordHistory } from '../helpers/history-json';
import { rejectionOf } from '../helpers/failure';
import { callsPerTest, useStack } from '../helpers/stack';

const DIM = 4;
const db = 'default';
const PRIMARY_ROWS = 25;

/**
 * Recovery on a named cluster: a worker with two clusters (`primary` and `dr`, two stand-ins),
 * a protected backup on `dr`, a DropCollection there; the catalog is dr's (`catalog:dr/db.coll`),
 * so the recovery runs there, found without naming the cluster when no other catalog has the
 * collection. The primary holds a collection of the same name, which must stay as it is.
 */
describe('recoverWorkflow on the cluster the backup ran on', () => {
  const stack = useStack({ dr: {} });
  const dr = () => stack().dr!;
  const primaryCalls = callsPerTest(() => stack().standin);
  const drCalls = callsPerTest(() => dr().standin);
  const client = () => new SnapshotWorkerClient(stack().client, stack().taskQueue);

  /** The same name on both clusters; only the `dr` one is backed up (protected), then dropped there. */
  async function droppedOnDr(collection: string, rows: number): Promise<void> {
    await seedDemoCollection(stack().standin.address, { collection, rows: PRIMARY_ROWS, dim: DIM });
    await seedDemoCollection(dr().standin.address, { collection, rows, dim: DIM });
    const backup = await client().backup({
      cluster: 'dr',
      collection,
      snapshot: `${collection}_s1`,
      protect: { pinNewest: 1, pinTtl: '30d' },
    });
    expect(backup.protection).toMatchObject({ pinned: [`${collection}_s1`], skipped: [] });
    await dr().gateway.dropCollection({ db, collection });
    expect((await client().catalog({ cluster: 'dr', collection })).entries).toMatchObject([
      { cluster: 'dr', snapshot: `${collection}_s1`, rowCount: rows, pin: {} },
    ]);
    // The default cluster's catalog of the namesake is another one, and holds nothing.
    expect((await client().catalog({ collection })).entries).toEqual([]);
  }

  async function expectPrimaryUntouched(collection: string): Promise<void> {
    expect(await stack().gateway.countRows({ db, collection })).toBe(PRIMARY_ROWS);
    expect(primaryCalls('RestoreExternalSnapshot')).toBe(0);
    expect(primaryCalls('DropCollection')).toBe(0);
  }

  it("recovers every row on dr with no cluster named (the only catalog is dr's); the primary is untouched", async () => {
    await droppedOnDr('rcc_docs', 120);

    const handle = await client().startRecover({
      collection: 'rcc_docs',
      verify: { load: true, sampleSize: 20 },
    });
    const result = await handle.result();
    expect(result).toMatchObject({
      cluster: 'dr',
      target: 'rcc_docs',
      snapshot: 'rcc_docs_s1',
      rowCount: 120,
      sampleRows: 20,
    });
    expect(drCalls('RestoreExternalSnapshot')).toBe(1);
    await expectDemoRows(dr().gateway, { db, collection: 'rcc_docs' }, 120, DIM);
    await expectPrimaryUntouched('rcc_docs');

    await recordHistory(handle, 'recoverWorkflow-named-cluster.json');
  });

  it("refuses a cluster other than the entry's, naming both, and creates nothing; --cluster dr then recovers", async () => {
    await droppedOnDr('rcc_mismatch', 30);

    const err = await rejectionOf(
      (await client().startRecover({ cluster: 'primary', collection: 'rcc_mismatch' })).result(),
      WorkflowFailedError,
    );
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    const refusal = err.cause as ApplicationFailure;
    expect(refusal.type).toBe(FailureType.ClusterMismatch);
    expect(refusal.nonRetryable).toBe(true);
    expect(refusal.message).toMatch(
      /cluster primary was named, but snapshot rcc_mismatch_s1 .* on cluster dr/,
    );
    expect(refusal.message).toContain('Nothing was started');
    expect(drCalls('RestoreExternalSnapshot')).toBe(0);
    expect(await dr().gateway.hasCollection({ db, collection: 'rcc_mismatch' })).toBe(false);
    await expectPrimaryUntouched('rcc_mismatch');

    const result = await client().recover({ cluster: 'dr', collection: 'rcc_mismatch' });
    expect(result).toMatchObject({ cluster: 'dr', rowCount: 30 });
    expect(await dr().gateway.countRows({ db, collection: 'rcc_mismatch' })).toBe(30);
    await expectPrimaryUntouched('rcc_mismatch');

    // A catalog per cluster: protecting the primary's namesake leaves the dr entry's pin alone.
    const primaryBackup = await client().backup({
      collection: 'rcc_mismatch',
      snapshot: 'rcc_mismatch_p1',
      protect: { pinNewest: 1, pinTtl: '30d' },
    });
    expect(primaryBackup.protection).toMatchObject({
      pinned: ['rcc_mismatch_p1'],
      unpinned: [],
      skipped: [],
    });
    const entries = (await client().catalog({ cluster: 'dr', collection: 'rcc_mismatch' })).entries;
    expect(entries.find((e) => e.snapshot === 'rcc_mismatch_s1')).toMatchObject({ cluster: 'dr', pin: {} });
    expect(entries.find((e) => e.snapshot === 'rcc_mismatch_s1')?.droppedAt).toBeUndefined();
    expect(entries.map((e) => e.snapshot)).toEqual(['rcc_mismatch_s1']);
    const primaryEntries = (await client().catalog({ collection: 'rcc_mismatch' })).entries;
    expect(primaryEntries.map((e) => e.snapshot)).toEqual(['rcc_mismatch_p1']);
    expect(primaryEntries[0].cluster).not.toBe('dr');
  });

  it("recovers from the default cluster's catalog first, even when dr has a catalog of the namesake", async () => {
    await droppedOnDr('rcc_both', 15);
    await client().backup({
      collection: 'rcc_both',
      snapshot: 'rcc_both_p1',
      protect: { pinNewest: 1, pinTtl: '30d' },
    });
    await stack().gateway.dropCollection({ db, collection: 'rcc_both' });

    const result = await client().recover({ collection: 'rcc_both' });
    expect(result).toMatchObject({ snapshot: 'rcc_both_p1', rowCount: PRIMARY_ROWS });
    expect(result.cluster).toBeUndefined();
    expect(await stack().gateway.countRows({ db, collection: 'rcc_both' })).toBe(PRIMARY_ROWS);
    expect(drCalls('RestoreExternalSnapshot')).toBe(0);
    expect(await dr().gateway.hasCollection({ db, collection: 'rcc_both' })).toBe(false);
  });

  it('refuses to guess when catalogs of the collection run on several other clusters, naming them', async () => {
    await droppedOnDr('rcc_several', 10);
    // A catalog of the namesake on a cluster of another worker (a real catalog workflow, no entries).
    await stack().client.workflow.start('catalogWorkflow', {
      workflowId: 'catalog:east/default.rcc_several',
      taskQueue: stack().taskQueue,
      args: [{ db, collection: 'rcc_several' }],
    });
    try {
      const err = await rejectionOf(client().startRecover({ collection: 'rcc_several' }), InputError);
      expect(err.message).toContain('clusters dr, east');
      expect(err.message).toContain('--cluster');
      expect(drCalls('RestoreExternalSnapshot')).toBe(0);
      expect(primaryCalls('RestoreExternalSnapshot')).toBe(0);

      const result = await client().recover({ cluster: 'dr', collection: 'rcc_several' });
      expect(result).toMatchObject({ cluster: 'dr', rowCount: 10 });
    } finally {
      await client().closeCatalog({ cluster: 'east', collection: 'rcc_several' }, { force: true });
    }
  });
});
