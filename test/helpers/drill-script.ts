import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

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
