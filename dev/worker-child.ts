import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workflowBundle } from './temporal-test-env';

/** A worker running in a child process (dev/worker-process.ts), so a test can SIGKILL it. */
export interface WorkerChild {
  process: ChildProcess;
  /** SIGKILL: no shutdown, no activity completion, nothing reported to Temporal. */
  kill(): Promise<void>;
}

let bundlePath: string | undefined;

async function bundleFile(): Promise<string> {
  if (bundlePath) return bundlePath;
  const dir = mkdtempSync(join(tmpdir(), 'workflow-bundle-'));
  const path = join(dir, 'workflow-bundle.js');
  writeFileSync(path, (await workflowBundle()).code);
  bundlePath = path;
  return path;
}

export async function startWorkerChild(opts: {
  temporalAddress: string;
  /** Default: TEMPORAL_NAMESPACE of this process (a test's namespace on the shared dev server), else `default`. */
  namespace?: string;
  taskQueue: string;
  milvusAddress: string;
  /** WORKER_CONFIG JSON: more clusters and the storage profiles (worker-config-file.ts). */
  workerConfig?: unknown;
}): Promise<WorkerChild> {
  const child = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(__dirname, 'worker-process.ts')],
    {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: opts.temporalAddress,
        TEMPORAL_NAMESPACE: opts.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default',
        TASK_QUEUE: opts.taskQueue,
        MILVUS_ADDRESS: opts.milvusAddress,
        WORKFLOW_BUNDLE_PATH: await bundleFile(),
        ...(opts.workerConfig ? { WORKER_CONFIG: JSON.stringify(opts.workerConfig) } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker child not ready in 60 s: ${stderr}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker child exited with ${code}: ${stderr}`));
    });
  });
  return {
    process: child,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
