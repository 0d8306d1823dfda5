import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrillReport } from '../../src/drill/report';
import { onlyReport, runDrillScript, useTempDirs } from '../helpers/drill-script';
import { leftovers, portOpen } from '../helpers/processes';

/** Every `<what> at <host:port>` the job printed for a server it started. */
function serverAddresses(stdout: string): string[] {
  const printed = [
    /Temporal dev server at (\S+);/,
    /Temporal UI: http:\/\/(\S+)/,
    /Milvus stand-in at (\S+);/,
    /DR cluster \(a second stand-in on the same object store\) at (\S+)/,
  ];
  return printed.map((pattern) => {
    const address = pattern.exec(stdout)?.[1];
    if (!address) throw new Error(`drill.sh did not print ${pattern}:\n${stdout}`);
    return address;
  });
}

/**
 * The cluster-loss drill as the README's users run it: `bash scripts/drill.sh --disaster
 * cluster-loss` in a child process, with its own Temporal dev server and two stand-ins (primary
 * and DR) on one object store; backup + off-site export, bundle restore into DR, compare, clean up.
 */
describe('bash scripts/drill.sh --disaster cluster-loss', () => {
  const tempDir = useTempDirs();

  it('exports off-site, restores the bundle on the DR cluster, passes with RTO and RPO, and leaves no server running', async () => {
    const [data, reports] = [tempDir('drill-data-'), tempDir('drill-reports-')];
    const run = await runDrillScript([
      '--disaster',
      'cluster-loss',
      '--standin-data',
      data,
      '--report-dir',
      reports,
    ]);

    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/off-site bundle of \S+: \d+ files, \d+ bytes/);
    expect(run.stdout).toContain('# DR drill PASS: default.demo_items');
    expect(run.stdout).toContain('| RTO (restore started → verified) |');
    expect(run.stdout).toContain('| RPO (age of create_ts at restore) |');
    expect(run.stdout).toMatch(/RTO \S+.*, RPO \S+.*: drill PASS/);
    expect(run.stdout).toMatch(/scratch collection default\.\S+: gone \(checked in Milvus\)/);

    const report = onlyReport(reports);
    expect(report.outcome).toBe('pass');
    expect(report.verification?.rowCount).toMatchObject({ expected: 3000, actual: 3000 });
    expect(report.rto.measuredMs).toBeGreaterThan(0);
    expect(report.rpo.measuredMs).not.toBeNull();

    // Temporal, its UI and both stand-ins stopped with the job; no process of it is left.
    for (const address of serverAddresses(run.stdout))
      expect({ address, open: await portOpen(address) }).toEqual({ address, open: false });
    expect(leftovers(run.pid, data)).toEqual([]);
    console.log(`cluster-loss drill: RTO ${report.rto.measuredMs} ms; RPO ${report.rpo.measuredMs} ms`);
  }, 300_000);
});
