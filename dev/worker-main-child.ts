import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The product's worker entry point (src/worker.ts) in a child process, configured only through the
 * environment variables operators set, its output relayed line by line (to the terminal for the dev
 * stack, to a buffer for tests of what it logs). Ready once it says it polls its task queue.
 */

const ROOT = join(__dirname, '..');
const READY = /\[worker\] polling task queue/;
const METRICS = /\[worker\] metrics on (http:\/\/\S+)/;
const READY_TIMEOUT_MS = 180_000; // without a prebuilt bundle it bundles the workflows first
const STOP_GRACE_MS = 15_000;

export interface WorkerMainChild {
  pid: number;
  /** The /metrics URL the worker printed, when it serves one (METRICS_ADDRESS). */
  metricsUrl?: string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM (the SDK drains the worker), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export async function startWorkerMainChild(
  env: Record<string, string>,
  onLine: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<WorkerMainChild> {
  const child = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(ROOT, 'src', 'worker.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  let metricsUrl: string | undefined;
  await new Promise<void>((resolve, reject) => {
    let last = '';
    const timer = setTimeout(
      () => reject(new Error(`the worker did not poll within 180 s: ${last}`)),
      READY_TIMEOUT_MS,
    );
    const relay = (stream: 'stdout' | 'stderr') => (line: string) => {
      last = line;
      onLine(line, stream);
      metricsUrl ??= METRICS.exec(line)?.[1];
      if (READY.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    };
    createInterface({ input: child.stdout }).on('line', relay('stdout'));
    createInterface({ input: child.stderr }).on('line', relay('stderr'));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${code}) before polling: ${last}`));
    });
  });
  return {
    pid: child.pid!,
    metricsUrl,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
