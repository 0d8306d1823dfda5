import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DrillReport } from '../../src/drill/report';
import { startStandin } from '../../src/milvus-standin';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';

const ROOT = resolve(__dirname, '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The README's first command, as a user runs it: no addresses set, everything embedded. */
function runDrillScript(args: string[], onOutput?: (stdout: string, pid: number) => void): Promise<Run> {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(TEMPORAL_|MILVUS_|DRILL_)/.test(name) && !name.endsWith('_PATH')) delete env[name];
  }
  return new Promise((done, fail) => {
    // Its own process group, like a terminal's foreground job: a Ctrl-C reaches every process in it.
    const child = spawn('bash', ['scripts/drill.sh', ...args], { cwd: ROOT, env, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onOutput?.(stdout, child.pid!);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

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

function onlyReport(dir: string): DrillReport {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as DrillReport;
}

describe('main job: bash scripts/drill.sh with no addresses set', () => {
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('starts Temporal (UI) and the seeded stand-in, runs a passing drill, prints the report, exits 0 with nothing left', async () => {
    const [data, reports] = [tempDir('drill-data-'), tempDir('drill-reports-')];
    const began = Date.now();
    const run = await runDrillScript(['--standin-data', data, '--report-dir', reports]);
    const wallMs = Date.now() - began;

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
    const run = await runDrillScript(['--rto-objective', '1', '--report-dir', reports]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('# DR drill FAIL: default.demo_items');
    expect(run.stdout).toMatch(/- RTO .* exceeds the objective 1 ms/);
    expect(run.stdout).toContain('scratch collections left in default: none');
    expect(onlyReport(reports).rto.status).toBe('fail');
  });
  it('Ctrl-C mid-restore cancels the drill, whose cleanup still runs: exit 1, no scratch collection left', async () => {
    const data = tempDir('drill-data-');
    let interrupted = false;
    const run = await runDrillScript(
      ['--standin-data', data, '--standin-restore-duration', '6s'],
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
});
