import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DrillReport } from '../../src/drill/report';

const ROOT = resolve(__dirname, '..', '..');

export interface DrillScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The script's process id, which is also its process group's. */
  pid: number;
}

/**
 * `bash scripts/drill.sh …` as a user runs it: no addresses set unless `extraEnv` gives them,
 * everything embedded. `onOutput` sees stdout so far as it grows (and the pid, to send a Ctrl-C).
 */
export function runDrillScript(
  args: string[],
  onOutput?: (stdout: string, pid: number) => void,
  extraEnv: Record<string, string> = {},
): Promise<DrillScriptRun> {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(TEMPORAL_|MILVUS_|DRILL_|WORKER_CONFIG)/.test(name) && !name.endsWith('_PATH')) delete env[name];
  }
  Object.assign(env, extraEnv);
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
    child.on('close', (code) => done({ code, stdout, stderr, pid: child.pid! }));
  });
}

/** The one JSON report a job wrote into its `--report-dir`. */
export function onlyReport(dir: string): DrillReport {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as DrillReport;
}

/** Fresh temporary directories for a describe's tests (data, reports), removed after them. */
export function useTempDirs(): (prefix: string) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
