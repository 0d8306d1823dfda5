import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrillReport } from '../../src/drill/report';
import { drillHistory } from '../../src/lookups/drill-history';
import { startStandin, seedDemoCollection } from 'milvus-standin';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';
import { waitUntil } from '../../dev/wait-until';
import { onlyReport, runDrillScript, useTempDirs } from '../helpers/drill-script';
import { startDevServer } from '../helpers/temporal';

/** What the stand-in holds after the job, read back from the data directory the job kept. */
async function collectionsIn(dataDir: string): Promise<string[]> {
  const standin = await startStandin({ port: 0, dataDir });
  const gateway = createMilvusGateway({ address: standin.address });
  try {
    return await gateway.listCollections('default');
  } finally {
    await gateway.close();
    await standin.stop();
  }
}

describe('main job: bash scripts/drill.sh with no addresses set', () => {
  const tempDir = useTempDirs();

  it('starts Temporal (UI) and the seeded stand-in, runs a passing drill, prints the report, exits 0 with nothing left', async () => {
    const [data, reports] = [tempDir('drill-data-'), tempDir('drill-reports-')];
    const began = Date.now();
    // While the drill runs, the printed UI URL must serve the Temporal Web UI.
    let uiStatus: Promise<number> | undefined;
    const run = await runDrillScript(['--standin-data', data, '--report-dir', reports], (out) => {
      const url = /Temporal UI: (http:\/\/\S+)/.exec(out)?.[1];
      if (url && !uiStatus)
        uiStatus = fetch(url).then(
          (r) => r.status,
          () => 0,
        );
    });
    const wallMs = Date.now() - began;
    expect(await uiStatus).toBe(200);

    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/Temporal UI: http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout).toContain('seeded demo_items: 3000 rows × dim 64');
    expect(run.stdout).toMatch(/✓ backup ok .*\n.*restore…/);
    expect(run.stdout).toMatch(/restore job \d+: (Pending|Executing)/);
    expect(run.stdout).toContain('# DR drill PASS: default.demo_items');
    expect(run.stdout).toContain('| RTO (restore started → verified) |');
    expect(run.stdout).toContain('scratch collections left in default: none');
    expect(run.stdout).toMatch(/done in .* \(wall time\)/);

    const report = onlyReport(reports);
    expect(report.outcome).toBe('pass');
    expect(report.verification?.rowCount).toMatchObject({ expected: 3000, actual: 3000 });
    expect(report.verification?.sample.compared).toBe(200);
    expect(report.rto.measuredMs).toBeGreaterThan(0);
    // The job stopped everything and kept the stand-in's data: only the demo collection is there.
    expect(await collectionsIn(data)).toEqual(['demo_items']);
    console.log(
      `main job wall time ${(wallMs / 1000).toFixed(1)} s; RTO ${report.rto.measuredMs} ms; RPO ${report.rpo.measuredMs} ms`,
    );
  });

  it('exits 1 and prints a FAIL report when an objective is missed', async () => {
    const reports = tempDir('drill-reports-');
    const run = await runDrillScript([
      '--rto-objective',
      '1',
      '--report-dir',
      reports,
      '--rows',
      '300',
      '--dim',
      '8',
    ]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('# DR drill FAIL: default.demo_items');
    expect(run.stdout).toMatch(/- RTO .* exceeds the objective 1 ms/);
    expect(run.stdout).toContain('scratch collections left in default: none');
    expect(onlyReport(reports).rto.status).toBe('fail');
  });
  it('re-runs on the same --standin-data without seeding again; another --rows there is refused by name', async () => {
    const [data, reports] = [tempDir('drill-data-'), tempDir('drill-reports-')];
    const small = ['--standin-data', data, '--report-dir', reports, '--rows', '300', '--dim', '8'];
    const first = await runDrillScript(small);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('seeded demo_items: 300 rows × dim 8');

    const again = await runDrillScript(['--standin-data', data, '--report-dir', reports]);
    expect({ code: again.code, stderr: again.code === 0 ? '' : again.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    expect(again.stdout).toContain(`demo_items kept from ${data}: 300 rows × dim 8`);
    expect(again.stdout).not.toContain('seeded demo_items');
    expect(again.stdout).toContain('# DR drill PASS: default.demo_items');

    const resized = await runDrillScript(['--standin-data', data, '--rows', '600']);
    expect(resized.code).toBe(2);
    expect(resized.stdout).toContain(
      `ERROR: demo_items in ${data} already has 300 rows × dim 8, so --rows 600 cannot apply: drop --rows to drill it as it is, or pass a new --standin-data directory`,
    );
    expect(resized.stdout).not.toContain('[object Object]');
    expect(await collectionsIn(data)).toEqual(['demo_items']);
  }, 360_000); // three runs of the script

  it('Ctrl-C mid-restore cancels the drill, whose cleanup still runs: exit 1, no scratch collection left', async () => {
    const data = tempDir('drill-data-');
    let interrupted = false;
    const run = await runDrillScript(
      ['--standin-data', data, '--standin-restore-duration', '6s', '--rows', '300', '--dim', '8'],
      (out, pid) => {
        if (interrupted || !/restore job \d+: Executing/.test(out)) return;
        interrupted = true;
        process.kill(-pid, 'SIGINT'); // the whole group, as a terminal does
      },
    );

    expect(interrupted).toBe(true);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('cancelling the drill; its cleanup still drops the scratch collection');
    expect(run.stdout).toMatch(/✗ restore cancelled/);
    expect(run.stdout).toMatch(/✓ cleanup ok/);
    expect(run.stdout).toContain('scratch collections left in default: none');
    expect(await collectionsIn(data)).toEqual(['demo_items']);
  });
  it('one Ctrl-C delivered twice at once (terminal plus a wrapper, a loaded machine) cancels once: exit 1, cleanup ran', async () => {
    const data = tempDir('drill-data-');
    let interrupted = false;
    const run = await runDrillScript(
      ['--standin-data', data, '--standin-restore-duration', '6s', '--rows', '300', '--dim', '8'],
      (out, pid) => {
        if (interrupted || !/restore job \d+: Executing/.test(out)) return;
        interrupted = true;
        // Both land before the first one is handled: they are the same Ctrl-C.
        process.kill(-pid, 'SIGINT');
        process.kill(-pid, 'SIGINT');
      },
    );

    expect(interrupted).toBe(true);
    expect({ code: run.code, stderr: run.code === 1 ? '' : run.stderr }).toEqual({ code: 1, stderr: '' });
    expect(run.stdout.match(/cancelling the drill/g)).toHaveLength(1);
    expect(run.stdout).toMatch(/✓ cleanup ok/);
    expect(run.stdout).toContain('scratch collections left in default: none');
    expect(await collectionsIn(data)).toEqual(['demo_items']);
  });
  it('with TEMPORAL_ADDRESS and MILVUS_ADDRESS set, drills against those servers and never prints the token', async () => {
    const token = 'root:Very-Secret-Token-42';
    // A server of its own: the script's client uses namespace default (drill-script.ts clears TEMPORAL_*).
    const [env, standin] = await Promise.all([
      startDevServer({ own: true }),
      startStandin({ port: 0, token }),
    ]);
    try {
      await seedDemoCollection(standin.address, { collection: 'ext_items', rows: 500, dim: 16, token });
      const run = await runDrillScript(['--sample-size', '30'], undefined, {
        TEMPORAL_ADDRESS: env.address,
        MILVUS_ADDRESS: standin.address,
        MILVUS_TOKEN: token,
        DRILL_COLLECTION: 'ext_items',
        DRILL_RTO_OBJECTIVE: '5m',
      });

      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`using Temporal at ${env.address}`);
      expect(run.stdout).toContain(`using Milvus at ${standin.address}`);
      expect(run.stdout).not.toMatch(/Temporal UI: /);
      expect(run.stdout).toContain('# DR drill PASS: default.ext_items');
      expect(run.stdout).toContain('| RTO (restore started → verified) |');
      expect(run.stdout).toMatch(/\| ≤ 5 min \| PASS \|/);
      expect(`${run.stdout}${run.stderr}`).not.toContain('Very-Secret-Token');
      // The drill ran on the given Temporal: its history lists it.
      const rows = await waitUntil(
        () => drillHistory(env.client, { collection: 'ext_items' }),
        (r) => r.length === 1 && r[0]?.status === 'COMPLETED',
        30_000,
      );
      expect(rows[0]?.result).toBe('pass');
    } finally {
      await standin.stop();
      await env.teardown();
    }
  });

  it('with MILVUS_ADDRESS set but no collection named, exits 2 saying what is missing', async () => {
    const run = await runDrillScript([], undefined, { MILVUS_ADDRESS: '127.0.0.1:1' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      'with MILVUS_ADDRESS set, name the collection: --collection or DRILL_COLLECTION',
    );
  });
});
