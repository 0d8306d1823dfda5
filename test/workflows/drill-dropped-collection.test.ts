import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemoCollection } from 'milvus-standin';
import { SnapshotWorkerClient } from '../../src/client';
import { drillWorkflowId, isScratchCollectionName, type DrillInput } from '../../src/contracts/drill';
import { isMilvusError } from '../../src/milvus/errors';
import { drillWorkflow } from '../../src/workflows/drill';
import { historyToJson } from '../helpers/history-json';
import { callsPerTest, useStack } from '../helpers/stack';

const COLLECTION = 'dd_items';
const ROWS = 200;

/**
 * Dev server, worker and stand-in over TCP: the accidental-DropCollection drill on a scratch copy
 * (restore, protected backup, drop, recovery through the catalog, comparison, cleanup).
 */
describe('drillWorkflow disaster dropped-collection', () => {
  const stack = useStack({
    prepare: (s) => seedDemoCollection(s.standin.address, { collection: COLLECTION, rows: ROWS, dim: 8 }),
  });
  const calls = callsPerTest(() => stack().standin);

  it('protects, drops and recovers the scratch, matches the source, and leaves nothing behind', async () => {
    const args: DrillInput = {
      collection: COLLECTION,
      disaster: 'dropped-collection',
      sampleSize: 50,
      restorePollInterval: '200ms',
    };
    const handle = await stack().client.workflow.start(drillWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: drillWorkflowId(args, 'dropped-1'),
      args: [args],
    });
    const report = await handle.result();

    expect(report).toMatchObject({ outcome: 'pass', disaster: 'dropped-collection', reasons: [] });
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['backup', 'ok'],
      ['restore', 'ok'],
      ['protect-scratch', 'ok'],
      ['drop-scratch', 'ok'],
      ['recover', 'ok'],
      ['verify', 'ok'],
      ['cleanup', 'ok'],
    ]);
    expect(report.steps.find((s) => s.name === 'recover')?.detail).toMatch(/200 rows .*pin released/);
    expect(report.verification).toMatchObject({ equal: true, rowCount: { actual: ROWS } });
    expect(report.rto.measuredMs).toBeGreaterThan(0);
    expect(report.rpo.measuredMs).not.toBeNull();
    // One recovery, by the metadata URI the catalog kept.
    expect(calls('RestoreExternalSnapshot')).toBe(1);

    // The scratch (dropped) and the recovered collection (same name) are gone; the source is not.
    const left = await stack().gateway.listCollections('default');
    expect(left.filter(isScratchCollectionName)).toEqual([]);
    expect(left).toContain(COLLECTION);

    // The pin is released: the catalog holds none and marks the entry dropped, and Milvus has
    // collected the snapshot (its collection is gone and nothing pins it).
    const scratch = report.scratch.collection;
    const catalog = await new SnapshotWorkerClient(stack().client, stack().taskQueue).catalog({
      collection: scratch,
    });
    expect(catalog.entries).toHaveLength(1);
    const [entry] = catalog.entries;
    expect(entry.pin).toBeUndefined();
    expect(entry.droppedAt).toEqual(expect.any(Number));
    const again = await stack()
      .gateway.restoreExternalSnapshot({
        metadataUri: entry.metadataUri,
        targetDb: 'default',
        targetCollection: `${scratch}_again`,
      })
      .then(
        () => 'restored',
        (err: unknown) => (isMilvusError(err) ? err.kind : String(err)),
      );
    expect(again).toBe('SnapshotNotFound');

    if (process.env.RECORD_HISTORIES === '1') {
      const dir = join(__dirname, '..', 'replay', 'histories');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'drillWorkflow-dropped-collection.json'),
        historyToJson(await handle.fetchHistory()),
      );
    }
  });
});
