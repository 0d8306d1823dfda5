import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoCollection } from 'milvus-standin';
import { SnapshotWorkerClient } from '../../src/client';
import { catalogQuery, catalogWorkflowId } from '../../src/contracts/catalog';
import type { FleetCollectionSummary, FleetInput } from '../../src/contracts/fleet';
import { runCli } from '../helpers/cli';
import { recordHistory } from '../helpers/history-json';
import { callsPerTest, useStack } from '../helpers/stack';

/**
 * Export fleets end to end: dev server, in-process worker with a storage profile, the stand-in on
 * an object store, over TCP. Two of three collections have a backup the catalog records as
 * verified (made by a backup fleet); the third never had one.
 */

const BACKED_UP = ['fexp_a1', 'fexp_b1'];
const NEVER_BACKED_UP = 'fexp_c2';
const store = mkdtempSync(join(tmpdir(), 'fleet-export-store-'));
/** Where the stand-in's object store keeps a minio://127.0.0.1:9000/<bucket>/<key> object. */
const objectPath = (uri: string) => join(store, uri.replace(/^minio:\/\/[^/]+\//, ''));

const stack = useStack({
  standin: { storage: { objectStoreDir: store, bucket: 'primary' }, faults: { exportDurationMs: 300 } },
  profiles: [{ name: 'offsite', targetS3Path: 'minio://127.0.0.1:9000/offsite/fleet' }],
  prepare: async ({ standin }) => {
    for (const collection of [...BACKED_UP, NEVER_BACKED_UP]) {
      await seedDemoCollection(standin.address, { collection, rows: 20, dim: 4 });
    }
  },
  timeoutMs: 120_000,
});
const calls = callsPerTest(() => stack().standin);
afterAll(() => rmSync(store, { recursive: true, force: true }));

const EXPORT_FLEET: FleetInput = {
  operation: 'export',
  collectionPattern: 'fexp_*',
  options: { profile: 'offsite', pollInterval: '200ms' },
  maxConcurrency: 2,
};

function cliEnv() {
  return {
    TEMPORAL_ADDRESS: stack().env.connection.options.address,
    TEMPORAL_TASK_QUEUE: stack().taskQueue,
  };
}

function byName(collections: FleetCollectionSummary[], name: string) {
  return collections.find((c) => c.collection === name);
}

describe('fleetWorkflow with operation export', () => {
  it('exports the newest verified snapshot of each collection once, skipping the one without', async () => {
    const client = new SnapshotWorkerClient(stack().client, stack().taskQueue);
    const backups = await client.fleet({
      operation: 'backup',
      collectionPattern: 'fexp_?1',
      options: { nameTemplate: '{collection}_nightly' },
    });
    expect(backups.totals).toEqual({ collections: 2, done: 2, failed: 0 });

    const handle = await client.startFleet(EXPORT_FLEET);
    const result = await handle.result();
    expect(result.totals).toEqual({ collections: 3, done: 2, failed: 0, skipped: 1 });
    expect(calls('ExportSnapshot')).toBe(2);
    for (const collection of BACKED_UP) {
      const summary = byName(result.collections, collection);
      expect(summary).toMatchObject({
        status: 'done',
        workflowId: `export:default.${collection}.${collection}_nightly@offsite`,
        detail: { operation: 'export', snapshot: `${collection}_nightly`, alreadyExported: false },
      });
      const detail = summary?.detail as { metadataUri: string; totalFiles: number };
      expect(detail.totalFiles).toBeGreaterThan(0);
      expect(existsSync(objectPath(detail.metadataUri))).toBe(true);
      const catalog = await stack()
        .client.workflow.getHandle(catalogWorkflowId({ db: 'default', collection }))
        .query(catalogQuery);
      expect(catalog.entries[0].export).toMatchObject({
        profile: 'offsite',
        metadataUri: detail.metadataUri,
      });
    }
    const skipped = byName(result.collections, NEVER_BACKED_UP);
    expect(skipped).toEqual({
      collection: NEVER_BACKED_UP,
      status: 'skipped',
      reason: `no verified backup in the catalog of default.${NEVER_BACKED_UP}`,
      durationMs: expect.any(Number),
    });
    await recordHistory(handle, 'fleetWorkflow-export.json');

    // Re-run from the CLI: the catalog already records both bundles, so nothing is exported twice.
    const again = await runCli(
      [
        'fleet',
        '--operation',
        'export',
        '--collection-pattern',
        'fexp_*',
        '--options',
        '{"profile":"offsite","pollInterval":"200ms"}',
      ],
      cliEnv(),
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^fleet export default\.fexp_\*: 2 of 3 done, 0 failed, 1 skipped \(1 run\)\n/,
    );
    expect(again.stdout).toMatch(
      /\nfexp_a1\s+done\s+[\d.]+ s\s+fexp_a1_nightly exported before \(\d+ files, \d+ bytes\)\n/,
    );
    expect(again.stdout).toMatch(
      /\nfexp_c2\s+skipped\s+[\d.]+ s\s+no verified backup in the catalog of default\.fexp_c2/,
    );
    expect(calls('ExportSnapshot')).toBe(2);
  });

  it('schedules an export fleet and refuses one without a profile, naming the field', async () => {
    const client = new SnapshotWorkerClient(stack().client, stack().taskQueue);
    const scheduleId = await client.scheduleFleet(EXPORT_FLEET, { every: '1 day' });
    expect(scheduleId).toBe('fleet-schedule:export:default.fexp_*');
    const listed = (await client.listSchedules()).find((s) => s.scheduleId === scheduleId);
    expect(listed?.workflowType).toBe('fleetWorkflow');
    await stack().client.schedule.getHandle(scheduleId).delete();

    await expect(client.startFleet({ operation: 'export', options: {} })).rejects.toThrow(/options\.profile/);
    const bad = await runCli(
      ['fleet', '--operation', 'export', '--options', '{"profile":"offsite","snapshot":"x"}'],
      cliEnv(),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'options.snapshot: each collection exports the newest verified snapshot in its catalog',
    );
    const missing = await runCli(['fleet', '--operation', 'export'], cliEnv());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('options.profile');
  });
});
