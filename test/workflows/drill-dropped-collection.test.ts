import { join } from 'node:path';
import { seedDemoCollection } from 'milvus-standin';
import { SnapshotWorkerClient } from '../../src/client';
import { catalogWorkflowId } from '../../src/contracts/catalog';
import { drillWorkflowId, isScratchCollectionName, type DrillInput } from '../../src/contracts/drill';
import { isMilvusError } from '../../src/milvus/errors';
import type { DrillReport } from '../../src/drill/report';
import { drillWorkflow } from '../../src/workflows/drill';
import { recordHistory } from '../helpers/history-json';
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

  /** A dropped-collection drill of the seeded collection (50 rows sampled). */
  function startDrill(id: string) {
    const args: DrillInput = {
      collection: COLLECTION,
      disaster: 'dropped-collection',
      sampleSize: 50,
      restorePollInterval: '200ms',
    };
    return stack().client.workflow.start(drillWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: drillWorkflowId(args, id),
      args: [args],
    });
  }

  const stepStatuses = (report: DrillReport) => report.steps.map((s) => [s.name, s.status]);
  const STEPS = ['backup', 'restore', 'protect-scratch', 'drop-scratch', 'recover', 'verify', 'cleanup'];
  /** Every step of the disaster drill 'ok', but those named. */
  const expectedSteps = (changed: Record<string, string> = {}) => STEPS.map((n) => [n, changed[n] ?? 'ok']);

  /** No scratch collection is left and the scratch's catalog workflow ended. */
  async function expectNothingLeft(report: DrillReport): Promise<void> {
    const left = await stack().gateway.listCollections('default');
    expect(left.filter(isScratchCollectionName)).toEqual([]);
    const catalog = stack().client.workflow.getHandle(
      catalogWorkflowId({ collection: report.scratch.collection }),
    );
    expect((await catalog.describe()).status.name).toBe('COMPLETED');
  }

  it('protects, drops and recovers the scratch, matches the source, and leaves nothing behind', async () => {
    const handle = await startDrill('dropped-1');
    const report = await handle.result();

    expect(report).toMatchObject({ outcome: 'pass', disaster: 'dropped-collection', reasons: [] });
    expect(stepStatuses(report)).toEqual(expectedSteps());
    expect(report.steps.find((s) => s.name === 'recover')?.detail).toMatch(/200 rows .*pin released/);
    expect(report.steps.find((s) => s.name === 'cleanup')?.detail).toMatch(/its catalog closed$/);
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
    await expectNothingLeft(report);

    await recordHistory(handle, 'drillWorkflow-dropped-collection.json'); // its cleanup closes the scratch's catalog
  });

  it('a recovered scratch whose rows differ from the source fails the drill, naming them; everything is cleaned up', async () => {
    stack().standin.faults.set({ corruptRestore: true }); // restored rows differ (same count and keys)
    const report = await (await startDrill('dropped-differs')).result();

    expect(report.outcome).toBe('fail');
    expect(stepStatuses(report)).toEqual(expectedSteps());
    expect(report.verification).toMatchObject({ equal: false, rowCount: { actual: ROWS } });
    expect(report.verification?.sample.differing.length).toBeGreaterThan(0);
    expect(report.reasons.join('\n')).toMatch(/differ/);
    expect(report.steps.at(-1)?.detail).toMatch(/^dropped drill_scratch_\w+, its catalog closed$/);
    await expectNothingLeft(report);
  });

  it('a refused recovery fails the drill with the reason, and still drops the scratch, releases the pin and closes the catalog', async () => {
    // Milvus answers the recovery as it does once a dropped collection's snapshot was collected
    // (snapshot_manager.go wraps merr ErrIoKeyNotFound when the metadata file is gone).
    stack().standin.faults.failNext('RestoreExternalSnapshot', {
      code: 1000,
      reason: 'failed to read external snapshot data: key not found',
    });
    const report = await (await startDrill('dropped-refused')).result();

    expect(report.outcome).toBe('fail');
    expect(stepStatuses(report)).toEqual(expectedSteps({ recover: 'failed', verify: 'skipped' }));
    expect(report.reasons).toEqual([
      expect.stringMatching(
        /^recover failed: Recovery of default\.drill_scratch_\w+ .*refused: Milvus no longer has snapshot/,
      ),
    ]);
    expect(report.steps.find((s) => s.name === 'cleanup')?.detail).toMatch(
      /already gone.*its catalog closed$/,
    );
    expect(report.verification).toBeNull();
    expect(calls('RestoreExternalSnapshot')).toBe(1);

    await expectNothingLeft(report);
    // The pin the failed recovery kept is released by the cleanup, then the catalog closes.
    const scratch = report.scratch.collection;
    const catalog = await new SnapshotWorkerClient(stack().client, stack().taskQueue).catalog({
      collection: scratch,
    });
    expect(catalog.entries.map((e) => [e.pin, typeof e.droppedAt])).toEqual([[undefined, 'number']]);
    expect(calls('UnpinSnapshotData')).toBe(1);
  });
});
