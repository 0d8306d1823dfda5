import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../src/contracts/failures';
import {
  catalogChangeSignal,
  catalogQuery,
  catalogWorkflowId,
  type CatalogChange,
  type CatalogEntry,
} from '../../src/contracts/catalog';
import { catalogWorkflow } from '../../src/workflows/catalog';
import { SnapshotWorkerClient } from '../../src/client';
import { waitUntil } from '../../dev/wait-until';
import { recordHistory } from '../helpers/history-json';
import { useStack } from '../helpers/stack';

const ref = { db: 'default', collection: 'cat_items' };

function entry(snapshot: string, createTs: number): CatalogEntry {
  return {
    ...ref,
    snapshot,
    createTs,
    rowCount: 10,
    metadataUri: `snapshots/1/metadata/${snapshot}.json`,
    verifiedAt: createTs + 1,
    recordedBy: { workflowId: 'backup:x', runId: 'r' },
  };
}

/** The catalog workflow on a dev server: idempotent changes, queries, continue-as-new carrying the catalog. */
describe('catalogWorkflow', () => {
  const stack = useStack();

  it('applies each change once however often it arrives, and keeps the catalog across continue-as-new', async () => {
    const { client, taskQueue } = stack();
    const workflowId = catalogWorkflowId(ref);
    const handle = await client.workflow.start(catalogWorkflow, {
      workflowId,
      taskQueue,
      args: [{ ...ref, changesPerRun: 4 }],
    });
    const changes: CatalogChange[] = [
      { kind: 'verified', entry: entry('cat_s1', 1_000) },
      { kind: 'verified', entry: entry('cat_s1', 1_000) }, // a retried recording
      { kind: 'pinned', snapshot: 'cat_s1', pin: { id: '7', pinnedAt: 1_500, expiresAt: null } },
      { kind: 'verified', entry: entry('cat_s2', 2_000) },
      { kind: 'protection', policy: { pinNewest: 1, pinTtl: '30d' } },
      {
        kind: 'exported',
        snapshot: 'cat_s2',
        export: {
          profile: 'offsite',
          jobId: '9',
          metadataUri: 'minio://h/b/k.json',
          totalFiles: 3,
          totalBytes: 42,
          completedAt: 3_000,
        },
      },
      { kind: 'unpinned', snapshot: 'cat_s1', pinId: '6' }, // not the current pin: ignored
      { kind: 'verified', entry: { ...entry('cat_s1', 1_000), verifiedAt: 5_000 } }, // re-verified: keeps its pin
    ];
    for (const change of changes) await handle.signal(catalogChangeSignal, change);

    const catalog = await waitUntil(
      () => client.workflow.getHandle(workflowId).query(catalogQuery),
      (c) => c.changes === changes.length,
    );
    expect(catalog.entries.map((e) => e.snapshot)).toEqual(['cat_s2', 'cat_s1']);
    expect(catalog.entries[1]).toMatchObject({ pin: { id: '7' }, verifiedAt: 5_000 });
    expect(catalog.entries[0].export).toMatchObject({ profile: 'offsite', totalBytes: 42 });
    expect(catalog.protection).toEqual({ pinNewest: 1, pinTtl: '30d' });
    const latest = await client.workflow.getHandle(workflowId).describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId); // continued as new at least once
    expect(await new SnapshotWorkerClient(client, taskQueue).catalog(ref)).toEqual(catalog);

    await recordHistory(
      client.workflow.getHandle(workflowId, handle.firstExecutionRunId),
      'catalogWorkflow.json',
    );
    await client.workflow.getHandle(workflowId).terminate('test over');
  });

  /** A catalog of its own for a close test, and the typed client that closes it. */
  async function startCatalog(of: { db: string; collection: string }) {
    const { client, taskQueue } = stack();
    const handle = await client.workflow.start(catalogWorkflow, {
      workflowId: catalogWorkflowId(of),
      taskQueue,
      args: [of],
    });
    return { api: new SnapshotWorkerClient(client, taskQueue), handle };
  }

  it('closes only once no pin holds and no bundle is recorded (or when forced), returning the catalog', async () => {
    const closing = { db: 'default', collection: 'cat_closing' };
    const { api, handle } = await startCatalog(closing);
    const pinned: CatalogChange[] = [
      { kind: 'verified', entry: { ...entry('cat_c1', 1_000), ...closing } },
      { kind: 'pinned', snapshot: 'cat_c1', pin: { id: '11', pinnedAt: 1_500, expiresAt: null } },
    ];
    for (const change of pinned) await handle.signal(catalogChangeSignal, change);

    const refused = await api.closeCatalog(closing).then(
      () => 'closed',
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: FailureType.CatalogStillProtects });
    expect((refused as Error).message).toMatch(/default\.cat_closing .*pins that still hold on cat_c1/);
    expect((await handle.describe()).status.name).toBe('RUNNING'); // a refusal changes nothing

    await handle.signal(catalogChangeSignal, { kind: 'unpinned', snapshot: 'cat_c1', pinId: '11' });
    const outcome = await api.closeCatalog(closing, { reason: 'collection retired' });
    expect(outcome).toEqual({
      closed: true,
      ...closing,
      forced: false,
      entries: 1,
      livePins: [],
      bundles: [],
    });
    const final = await handle.result();
    expect(final.entries.map((e) => [e.snapshot, e.pin])).toEqual([['cat_c1', undefined]]);
    expect(final.changes).toBe(3);
    // Closed: a second close finds nothing running, and the closed catalog still answers queries.
    expect(await api.closeCatalog(closing)).toMatchObject({
      closed: false,
      reason: expect.stringMatching(/no catalog/),
    });
    expect((await api.catalog(closing)).changes).toBe(3);

    await recordHistory(handle, 'catalogWorkflow-closed.json');
  });

  it('closes with force despite a recorded bundle, and names what is no longer recorded', async () => {
    const forced = { db: 'default', collection: 'cat_forced' };
    const { api, handle } = await startCatalog(forced);
    await handle.signal(catalogChangeSignal, {
      kind: 'verified',
      entry: { ...entry('cat_f1', 1_000), ...forced },
    });
    const bundle = {
      profile: 'offsite',
      jobId: '3',
      metadataUri: 'minio://h/b/f1.json',
      totalFiles: 1,
      totalBytes: 9,
      completedAt: 2_000,
    };
    await handle.signal(catalogChangeSignal, { kind: 'exported', snapshot: 'cat_f1', export: bundle });
    await expect(api.closeCatalog(forced)).rejects.toThrow(/off-site bundles of cat_f1/);
    await expect(api.closeCatalog(forced, { force: 'yes' } as never)).rejects.toThrow(/force/);
    expect(await api.closeCatalog(forced, { force: true })).toMatchObject({
      closed: true,
      forced: true,
      bundles: [{ snapshot: 'cat_f1', metadataUri: 'minio://h/b/f1.json' }],
    });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });

  it('answers an empty catalog for a collection nothing was recorded for', async () => {
    const { client, taskQueue } = stack();
    const catalog = await new SnapshotWorkerClient(client, taskQueue).catalog({ collection: 'cat_never' });
    expect(catalog).toEqual({ db: 'default', collection: 'cat_never', entries: [], changes: 0 });
  });
});
