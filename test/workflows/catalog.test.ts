import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { historyToJson } from '../helpers/history-json';
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

    if (process.env.RECORD_HISTORIES === '1') {
      const dir = join(__dirname, '..', 'replay', 'histories');
      mkdirSync(dir, { recursive: true });
      const firstRun = client.workflow.getHandle(workflowId, handle.firstExecutionRunId);
      writeFileSync(join(dir, 'catalogWorkflow.json'), historyToJson(await firstRun.fetchHistory()));
    }
    await client.workflow.getHandle(workflowId).terminate('test over');
  });

  it('answers an empty catalog for a collection nothing was recorded for', async () => {
    const { client, taskQueue } = stack();
    const catalog = await new SnapshotWorkerClient(client, taskQueue).catalog({ collection: 'cat_never' });
    expect(catalog).toEqual({ db: 'default', collection: 'cat_never', entries: [], changes: 0 });
  });
});
