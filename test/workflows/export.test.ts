import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogChangeSignal, catalogQuery, catalogWorkflowId } from '../../src/contracts/catalog';
import { exportProgressQuery, exportWorkflowId, type ExportInput } from '../../src/contracts/export';
import { restoreWorkflowId, type RestoreInput } from '../../src/contracts/restore';
import { EXPORT_STATE, SNAPSHOT_OPERATION } from '../../src/temporal/search-attributes';
import { catalogWorkflow, exportWorkflow, restoreWorkflow } from '../../src/workflows';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../../dev/wait-until';
import { currentDetails } from '../helpers/current-details';
import { rejectionOf } from '../helpers/failure';
import { historyToJson, recordHistory } from '../helpers/history-json';
import { callsPerTest, useStack } from '../helpers/stack';

const DB = 'default';
const SOURCE = 'export_items';
const SNAPSHOT = 'export_items_snap';
const ROWS = 90;
const KEY_ID = 'AKIAOFFSITEKEY7Q2Z';
const KEY_VALUE = 'offsite+Secret/Key=4f1c9e0b27d8a6';
const store = mkdtempSync(join(tmpdir(), 'export-store-'));
/** Where the stand-ins' object store keeps a minio://127.0.0.1:9000/<bucket>/<key> object. */
const objectPath = (uri: string) => join(store, uri.replace(/^minio:\/\/[^/]+\//, ''));

/**
 * Export → bundle → restore on a second cluster, end to end: dev server, in-process worker with
 * two clusters (two stand-ins on one object store) and storage profiles, over TCP.
 */
describe('exportWorkflow and the bundle restore', () => {
  const stack = useStack({
    standin: { storage: { objectStoreDir: store, bucket: 'primary' }, faults: { exportDurationMs: 1500 } },
    dr: { storage: { objectStoreDir: store, bucket: 'dr' }, faults: { restoreDurationMs: 300 } },
    profiles: [
      { name: 'offsite', targetS3Path: 'minio://127.0.0.1:9000/offsite/nightly' },
      {
        name: 'keyed',
        targetS3Path: 'minio://127.0.0.1:9000/offsite/keyed',
        externalSpec: {
          extfs: { access_key_id: KEY_ID, access_key_value: KEY_VALUE, cloud_provider: 'minio' },
        },
      },
    ],
    prepare: (s) => seedSnapshot(s, { collection: SOURCE, snapshot: SNAPSHOT, rows: ROWS, segments: 6 }),
  });
  const calls = callsPerTest(() => stack().standin);
  afterAll(() => rmSync(store, { recursive: true, force: true }));

  function startExport(input: ExportInput) {
    return stack().client.workflow.start(exportWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: exportWorkflowId(input),
      args: [input],
    });
  }

  function catalog() {
    return stack()
      .client.workflow.getHandle(catalogWorkflowId({ db: DB, collection: SOURCE }))
      .query(catalogQuery);
  }

  it('exports once, records the bundle in the catalog, and the DR cluster restores every sampled row', async () => {
    // What a backup records for a verified snapshot: the entry the export adds its bundle to.
    await stack().client.workflow.signalWithStart(catalogWorkflow, {
      workflowId: catalogWorkflowId({ db: DB, collection: SOURCE }),
      taskQueue: stack().taskQueue,
      args: [{ db: DB, collection: SOURCE }],
      signal: catalogChangeSignal,
      signalArgs: [{ kind: 'verified', entry: await verifiedEntry() }],
    });

    const input: ExportInput = {
      collection: SOURCE,
      snapshot: SNAPSHOT,
      profile: 'offsite',
      pollInterval: '200ms',
    };
    const handle = await startExport(input);
    const result = await handle.result();
    expect(result).toMatchObject({
      snapshot: SNAPSHOT,
      profile: 'offsite',
      alreadyExported: false,
      adopted: false,
    });
    expect(result.totalFiles).toBeGreaterThan(0);
    expect(result.totalBytes).toBeGreaterThan(0);
    expect(result.metadataUri).toMatch(/^minio:\/\/127\.0\.0\.1:9000\/offsite\/nightly\/exports\/.+\.json$/);
    expect(existsSync(objectPath(result.metadataUri))).toBe(true);
    expect(calls('ExportSnapshot')).toBe(1);

    const progress = await handle.query(exportProgressQuery);
    expect(progress).toMatchObject({
      phase: 'completed',
      state: 'Completed',
      progress: 100,
      jobId: result.jobId,
    });
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(SNAPSHOT_OPERATION)).toBe('export');
    expect(described.typedSearchAttributes.get(EXPORT_STATE)).toBe('Completed');

    const recorded = (await catalog()).entries.find((e) => e.snapshot === SNAPSHOT);
    expect(recorded?.export).toMatchObject({
      profile: 'offsite',
      jobId: result.jobId,
      metadataUri: result.metadataUri,
      totalFiles: result.totalFiles,
      totalBytes: result.totalBytes,
    });

    // A re-run finds the export in the catalog: nothing is exported twice.
    const again = await (await startExport(input)).result();
    expect(again).toMatchObject({
      alreadyExported: true,
      jobId: result.jobId,
      metadataUri: result.metadataUri,
    });
    expect(calls('ExportSnapshot')).toBe(1);

    await recordHistory(handle, 'exportWorkflow.json');

    // Restore the bundle into the second cluster with the restore workflow's wait and verification.
    const restore: RestoreInput = {
      cluster: 'dr',
      bundle: { metadataUri: result.metadataUri, profile: 'offsite' },
      snapshot: SNAPSHOT,
      sourceCollection: SOURCE,
      targetCollection: 'export_items_dr',
      pollInterval: '200ms',
      verify: { expectedRowCount: ROWS, load: true, sampleSize: 20 },
    };
    const restoreHandle = await stack().client.workflow.start(restoreWorkflow, {
      taskQueue: stack().taskQueue,
      workflowId: restoreWorkflowId(restore),
      args: [restore],
    });
    const restored = await restoreHandle.result();
    expect(restored).toMatchObject({ cluster: 'dr', verifiedRowCount: ROWS, bundle: restore.bundle });
    const dr = stack().dr!.gateway;
    const target = { db: DB, collection: 'export_items_dr' };
    expect(await dr.countRows(target)).toBe(ROWS);
    expect(await stack().gateway.hasCollection(target)).toBe(false); // the primary got nothing

    // Every sampled row equal, vectors included.
    const ids = [1, 2, 17, 44, 45, 88, 89, 90];
    const filter = `id in [${ids.join(', ')}]`;
    const fields = ['id', 'vector', 'title', 'year'];
    const byId = (rows: Record<string, unknown>[]) =>
      [...rows].sort((a, b) => Number(a.id) - Number(b.id)).map((r) => JSON.stringify(r));
    await stack().gateway.loadCollection({ db: DB, collection: SOURCE });
    const [source, copy] = [
      await stack().gateway.query({ db: DB, collection: SOURCE }, filter, fields),
      await dr.query(target, filter, fields),
    ];
    expect(source).toHaveLength(ids.length);
    expect(byId(copy)).toEqual(byId(source));

    await recordHistory(restoreHandle, 'restoreWorkflow-bundle.json');
  });

  it('an export failing at 40 % fails clearly and records nothing as an off-site copy', async () => {
    stack().standin.faults.set({ exportFailAtPercent: 40, exportFailReason: 'copy failed: Access Denied' });
    const input: ExportInput = {
      collection: SOURCE,
      snapshot: SNAPSHOT,
      profile: 'keyed',
      pollInterval: '200ms',
    };
    const err = await rejectionOf((await startExport(input)).result(), WorkflowFailedError);
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('ExportJobFailed');
    expect(cause.message).toMatch(
      /^Export job \d+ \(snapshot "export_items_snap" of default\.export_items with profile "keyed"\) failed at \d+% /,
    );
    expect(cause.message).toContain('copy failed: Access Denied');
    expect(cause.message).toContain('Nothing was recorded as an off-site copy');
    const entry = (await catalog()).entries.find((e) => e.snapshot === SNAPSHOT);
    expect(entry?.export?.profile).toBe('offsite'); // still only the good one
  });

  it("the UI's current details show the job's state, % and files while it copies, then the bundle", async () => {
    const snapshot = 'export_items_details';
    await stack().gateway.createSnapshot({ db: DB, collection: SOURCE, snapshot });
    stack().standin.faults.set({ exportDurationMs: 8000 });
    const handle = await startExport({
      collection: SOURCE,
      snapshot,
      profile: 'offsite',
      pollInterval: '200ms',
    });
    const live = await waitUntil(
      () => currentDetails(handle),
      (d) => /Executing\*\*, \d+ %/.test(d) && /files copied: \d+ of \d+/.test(d),
    );
    expect(live).toContain(`**Export** \`${snapshot}\` of default.${SOURCE} with profile \`offsite\``);
    expect(live).toContain('phase: **waiting**');
    expect(live).not.toContain('bundle:'); // Milvus reports the bytes only once the job completed
    const result = await handle.result();
    const final = await currentDetails(handle);
    expect(final).toMatch(/phase: \*\*completed\*\*[\s\S]*Completed\*\*, 100 %/);
    expect(final).toContain(`files copied: ${result.totalFiles} of ${result.totalFiles}`);
    expect(final).toContain(`bundle: ${result.totalBytes} bytes`);
  });

  it("a profile's keys appear nowhere in the workflow histories or the worker's output", async () => {
    const written: string[] = [];
    const capture = (stream: NodeJS.WriteStream) => {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      return () => (stream.write = original);
    };
    const restore = [capture(process.stdout), capture(process.stderr)];
    try {
      const input: ExportInput = {
        collection: SOURCE,
        snapshot: SNAPSHOT,
        profile: 'keyed',
        pollInterval: '200ms',
      };
      const handle = await startExport(input);
      const result = await handle.result();
      expect(result.metadataUri).toMatch(/offsite\/keyed\/exports\//);
      const restoreInput: RestoreInput = {
        cluster: 'dr',
        bundle: { metadataUri: result.metadataUri, profile: 'keyed' },
        snapshot: SNAPSHOT,
        sourceCollection: SOURCE,
        targetCollection: 'export_items_keyed',
        pollInterval: '200ms',
      };
      const restoreHandle = await stack().client.workflow.start(restoreWorkflow, {
        taskQueue: stack().taskQueue,
        workflowId: restoreWorkflowId(restoreInput),
        args: [restoreInput],
      });
      await restoreHandle.result();
      const failed = await stack().client.workflow.start(exportWorkflow, {
        taskQueue: stack().taskQueue,
        workflowId: 'export-unknown-profile',
        args: [{ ...input, profile: 'nowhere' }],
      });
      const err = await rejectionOf(failed.result(), WorkflowFailedError);
      expect((err.cause as ApplicationFailure).message).toContain(
        'unknown profile "nowhere": this worker\'s configured profiles are offsite, keyed',
      );
      const histories = [
        await readable(handle.fetchHistory()),
        await readable(restoreHandle.fetchHistory()),
        await readable(failed.fetchHistory()),
      ].join('\n');
      for (const secret of [KEY_ID, KEY_VALUE]) {
        expect(histories).not.toContain(secret);
        expect(written.join('')).not.toContain(secret);
      }
      expect(histories).toContain('"keyed"'); // the name travels, the keys do not
    } finally {
      restore.forEach((undo) => undo());
    }
  });

  /** A history as JSON with every payload decoded (payloads are base64 in the JSON). */
  async function readable(history: ReturnType<WorkflowHandle['fetchHistory']>): Promise<string> {
    const json = historyToJson(await history);
    const decoded = [...json.matchAll(/"data": "([A-Za-z0-9+/=]+)"/g)].map((m) =>
      Buffer.from(m[1], 'base64').toString('utf8'),
    );
    return [json, ...decoded].join('\n');
  }

  /** The verified entry as a backup records it. */
  async function verifiedEntry() {
    const info = await stack().gateway.describeSnapshot({ db: DB, collection: SOURCE, snapshot: SNAPSHOT });
    return {
      db: DB,
      collection: SOURCE,
      snapshot: SNAPSHOT,
      createTs: info.createTs,
      rowCount: ROWS,
      metadataUri: info.s3Location,
      verifiedAt: Date.now(),
      recordedBy: { workflowId: 'test', runId: 'test' },
    };
  }
});
