import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoCollection } from 'milvus-standin';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { backupWorkflowId, type BackupResult } from '../../src/contracts/backup';
import { catalogWorkflowId } from '../../src/contracts/catalog';
import type { DrillReport } from '../../src/drill/report';
import { isScratchCollectionName } from '../../src/contracts/drill';
import { runCli } from '../helpers/cli';
import { recordHistory } from '../helpers/history-json';
import { useStack } from '../helpers/stack';

const SOURCE = 'cli_dr_items';
const ROWS = 120;
const store = mkdtempSync(join(tmpdir(), 'cli-dr-store-'));

/**
 * The disaster-recovery commands as an operator runs them, in their own process, against the dev
 * server, a worker with two clusters (two stand-ins on one object store) and a storage profile:
 * the dropped-collection drill, closing a catalog, and restoring an off-site bundle into the DR cluster.
 */
describe('CLI disaster recovery', () => {
  const stack = useStack({
    standin: { storage: { objectStoreDir: store, bucket: 'primary' }, faults: { exportDurationMs: 300 } },
    dr: { storage: { objectStoreDir: store, bucket: 'dr' }, faults: { restoreDurationMs: 300 } },
    profiles: [{ name: 'offsite', targetS3Path: 'minio://127.0.0.1:9000/offsite/nightly' }],
    prepare: (s) =>
      seedSnapshot(s, { collection: SOURCE, snapshot: 'cli_dr_seeded', rows: ROWS, segments: 4 }),
  });
  afterAll(() => rmSync(store, { recursive: true, force: true }));

  const cli = (args: string[]) =>
    runCli(args, {
      TEMPORAL_ADDRESS: stack().env.connection.options.address,
      TEMPORAL_TASK_QUEUE: stack().taskQueue,
      MILVUS_ADDRESS: stack().standin.address,
    });

  async function scratchLeft(): Promise<string[]> {
    return (await stack().gateway.listCollections('default')).filter(isScratchCollectionName);
  }

  it('drill --disaster dropped-collection: the report for people, with --json the report; nothing left behind', async () => {
    const flags = [
      '--collection',
      SOURCE,
      '--disaster',
      'dropped-collection',
      '--restore-poll-interval',
      '200ms',
    ];
    const human = await cli(['drill', ...flags]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      'dropped-collection: the scratch was protected, dropped and recovered through its catalog',
    );
    expect(human.stdout).toMatch(/RTO \(recovery started → verified\)/);
    expect(human.stdout).toMatch(/\bpass\b/i);

    const json = await cli(['drill', ...flags, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as DrillReport;
    expect(report).toMatchObject({ outcome: 'pass', disaster: 'dropped-collection', collection: SOURCE });
    expect(report.steps.map((s) => s.name)).toEqual([
      'backup',
      'restore',
      'protect-scratch',
      'drop-scratch',
      'recover',
      'verify',
      'cleanup',
    ]);
    expect(report.steps.at(-1)?.detail).toMatch(/its catalog closed$/);
    expect(json.stdout).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(await scratchLeft()).toEqual([]);
    const catalog = stack().client.workflow.getHandle(
      catalogWorkflowId({ collection: report.scratch.collection }),
    );
    expect((await catalog.describe()).status.name).toBe('COMPLETED');
  });

  it('catalog close: refused while a pin holds (exit 1, naming it), closed with --force, then nothing to close', async () => {
    const protect = ['--protect', '{"pinNewest":1,"pinTtl":"1d"}'];
    expect(
      (await cli(['backup', '--collection', SOURCE, '--snapshot', 'cli_dr_pinned', ...protect])).code,
    ).toBe(0);

    const refused = await cli(['catalog', 'close', '--collection', SOURCE]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^error: the catalog of default\\.${SOURCE} records pins that still hold on cli_dr_pinned: release`,
      ),
    );
    expect((await cli(['catalog', 'close', '--collection', SOURCE, '--forse'])).code).toBe(2);

    const forced = await cli([
      'catalog',
      'close',
      '--collection',
      SOURCE,
      '--force',
      '--reason',
      'retired',
      '--json',
    ]);
    expect(forced.code).toBe(0);
    const outcome = JSON.parse(forced.stdout) as {
      closed: boolean;
      forced: boolean;
      livePins: { snapshot: string }[];
    };
    expect(outcome).toMatchObject({ closed: true, forced: true, livePins: [{ snapshot: 'cli_dr_pinned' }] });

    const again = await cli(['catalog', 'close', '--collection', SOURCE]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`no catalog of default.${SOURCE} is running: nothing to close\n`);
  });

  it('backup --export, then restore --cluster dr --bundle: the DR cluster gets every row (people and --json)', async () => {
    const backup = await cli([
      'backup',
      '--collection',
      SOURCE,
      '--snapshot',
      'cli_dr_exported',
      '--export',
      '{"profile":"offsite"}',
      '--json',
    ]);
    expect(backup.code).toBe(0);
    const result = JSON.parse(backup.stdout) as BackupResult;
    const metadataUri = result.export?.metadataUri;
    expect(metadataUri).toMatch(/^minio:\/\/127\.0\.0\.1:9000\/offsite\/nightly\/exports\/.+\.json$/);

    const restore = (target: string, ...extra: string[]) =>
      cli([
        'restore',
        '--cluster',
        'dr',
        '--bundle',
        JSON.stringify({ metadataUri, profile: 'offsite' }),
        '--snapshot',
        'cli_dr_exported',
        '--source-collection',
        SOURCE,
        '--target-collection',
        target,
        '--verify.expected-row-count',
        String(ROWS),
        '--poll-interval',
        '200ms',
        ...extra,
      ]);
    const human = await restore('cli_dr_copy');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^restore default\\.${SOURCE}@cli_dr_exported → default\\.cli_dr_copy: 120 rows verified`),
    );
    const json = await restore('cli_dr_copy_json', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      cluster: 'dr',
      verifiedRowCount: ROWS,
      bundle: { metadataUri, profile: 'offsite' },
    });
    const dr = stack().dr!.gateway;
    for (const collection of ['cli_dr_copy', 'cli_dr_copy_json'])
      expect(await dr.countRows({ db: 'default', collection })).toBe(ROWS);
    expect(await stack().gateway.hasCollection({ db: 'default', collection: 'cli_dr_copy' })).toBe(false);

    const exported = backupWorkflowId({ db: 'default', collection: SOURCE, snapshot: 'cli_dr_exported' });
    await recordHistory(stack().client.workflow.getHandle(exported), 'backupWorkflow-export.json');
  });
  it('recover --cluster: a protected backup on dr, dropped there, is refused on primary (naming both) and recovered on dr', async () => {
    const collection = 'cli_dr_recover';
    await seedDemoCollection(stack().dr!.standin.address, { collection, rows: 40, dim: 4 });
    const backup = await cli([
      'backup',
      '--cluster',
      'dr',
      '--collection',
      collection,
      '--protect',
      '{"pinNewest":1,"pinTtl":"1d"}',
    ]);
    expect(backup.code).toBe(0);
    await stack().dr!.gateway.dropCollection({ db: 'default', collection });

    const refused = await cli(['recover', '--cluster', 'primary', '--collection', collection]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cluster primary was named, but snapshot \S+ .*on cluster dr/);
    expect(await stack().gateway.hasCollection({ db: 'default', collection })).toBe(false);

    const recovered = await cli(['recover', '--cluster', 'dr', '--collection', collection]);
    expect(recovered.code).toBe(0);
    expect(recovered.stdout).toMatch(
      new RegExp(
        `^recovered default\\.${collection} into default\\.${collection} on cluster dr from snapshot`,
      ),
    );
    expect(await stack().dr!.gateway.countRows({ db: 'default', collection })).toBe(40);
    expect(await stack().gateway.hasCollection({ db: 'default', collection })).toBe(false);
  });

  it('recover without --cluster: several catalogs elsewhere are refused (exit 2, naming them); the only one, on dr, is used and said', async () => {
    const collection = 'cli_dr_find';
    await seedDemoCollection(stack().dr!.standin.address, { collection, rows: 30, dim: 4 });
    const protect = ['--protect', '{"pinNewest":1,"pinTtl":"1d"}'];
    expect((await cli(['backup', '--cluster', 'dr', '--collection', collection, ...protect])).code).toBe(0);
    await stack().dr!.gateway.dropCollection({ db: 'default', collection });
    // A catalog of the namesake on a cluster of another worker (a real catalog workflow, no entries).
    await stack().client.workflow.start('catalogWorkflow', {
      workflowId: catalogWorkflowId({ cluster: 'east', db: 'default', collection }),
      taskQueue: stack().taskQueue,
      args: [{ db: 'default', collection }],
    });

    const several = await cli(['recover', '--collection', collection]);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('clusters dr, east');
    expect(several.stderr).toContain('--cluster');
    expect(await stack().dr!.gateway.hasCollection({ db: 'default', collection })).toBe(false);

    const closed = await cli(['catalog', 'close', '--cluster', 'east', '--collection', collection]);
    expect(closed.code).toBe(0);
    expect(closed.stdout).toMatch(
      new RegExp(`^closed the catalog of default\\.${collection} \\(0 entries\\)`),
    );

    const recovered = await cli(['recover', '--collection', collection, '--poll-interval', '200ms']);
    expect(recovered.code).toBe(0);
    expect(recovered.stderr).toContain(
      `no catalog of default.${collection} on the default cluster; recovering from the one on cluster dr`,
    );
    expect(recovered.stdout).toMatch(
      new RegExp(
        `^recovered default\\.${collection} into default\\.${collection} on cluster dr from snapshot`,
      ),
    );
    expect(await stack().dr!.gateway.countRows({ db: 'default', collection })).toBe(30);
    expect(await stack().gateway.hasCollection({ db: 'default', collection })).toBe(false);
  });
});
