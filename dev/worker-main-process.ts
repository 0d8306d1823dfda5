import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The product's worker entry point (src/worker.ts) in a child process, configured only through its
 * environment variables as operators run it: for tests of what the process serves (its metrics
 * endpoint) and for the UI test. Ready once it prints that it polls its task queue.
 */

const ROOT = join(__dirname, '..');
const READY = /\[worker\] polling task queue/;
const READY_TIMEOUT_MS = 180_000; // it bundles the workflows first
const STOP_GRACE_MS = 15_000;

export interface WorkerMainProcess {
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGTERM (the SDK drains the worker), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export async function startWorkerMain(env: Record<string, string>): Promise<WorkerMainProcess> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src', 'worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not ready in time:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (READY.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before polling:\n${output}`));
    });
  });
  return {
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
