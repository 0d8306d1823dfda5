import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';

/** The real Milvus server embedded in PyPI's `milvus` package, installed by `scripts/setup.sh test`. */
export const REAL_MILVUS_VERSION = '2.3.5';

const ROOT = path.resolve(__dirname, '../..');
const PYTHON = path.join(ROOT, '.tools/venv/bin/python');
const LAUNCHER = path.join(__dirname, 'real-milvus.py');
/** Unpacked server binaries, shared by every run (unpacking takes ~15 s). */
const BIN_CACHE = path.join(ROOT, `.tools/milvus-server-${REAL_MILVUS_VERSION}/bin`);
const START_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 15_000;

export interface RealMilvus {
  /** "127.0.0.1:PORT" */
  address: string;
  /** Milliseconds from launch until the server answered its health check. */
  startMs: number;
  stop(): Promise<void>;
}

/**
 * Starts a real Milvus 2.3.5 standalone server on free ports in a temp dir and waits until it is
 * healthy. The launcher stops the server when its stdin closes, so the server goes away with this
 * process even when a test run dies; stop() also kills the whole process group as a last resort.
 * With `auth`, authorization is enabled and the credential is Milvus's default root:Milvus.
 */
export async function startRealMilvus(options: { auth?: boolean } = {}): Promise<RealMilvus> {
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-milvus-'));
  const args = [LAUNCHER, baseDir, BIN_CACHE, ...(options.auth ? ['--auth'] : [])];
  // Own process group (detached), so stop() can end the launcher and the server together.
  const child = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    child.stdin.end();
    const gone = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
    if (!gone && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    await exited;
    fs.rmSync(baseDir, { recursive: true, force: true });
  };

  try {
    const ready = await new Promise<{ port: number; startMs: number }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`real Milvus not ready after ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      readline.createInterface({ input: child.stdout }).once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { port: number; startMs: number });
      });
      void exited.then(() => {
        clearTimeout(timer);
        const logs = path.join(baseDir, 'logs');
        reject(new Error(`real Milvus launcher exited before ready (logs in ${logs}): ${stderr}`));
      });
    });
    return { address: `127.0.0.1:${ready.port}`, startMs: ready.startMs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
