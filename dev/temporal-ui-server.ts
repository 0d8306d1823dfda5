import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';
import { findTemporalBinary } from './temporal-binaries';
import { ALL_SEARCH_ATTRIBUTES } from '../src/temporal/search-attributes';

/**
 * The Temporal dev server (with its Web UI) for the main job, in a process group of its own: a
 * Ctrl-C in the terminal reaches the whole foreground group, and the server must outlive it long
 * enough for the cancelled drill to drop its scratch collection.
 */

export interface TemporalUiServer {
  /** host:port of the frontend. */
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

const CLI_TYPE: Partial<Record<SearchAttributeType, string>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Ready = the frontend answers and the default namespace exists. */
async function waitUntilReady(address: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the Temporal dev server exited with code ${child.exitCode}: ${stderr().trim()}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`the Temporal dev server did not become ready: ${String(err)}`);
      await sleep(200);
    }
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

export interface TemporalUiServerOptions {
  /** Frontend port; 0 or unset = a free one. */
  port?: number;
  /** Web UI port; 0 or unset = a free one. */
  uiPort?: number;
  /** SQLite file: workflows, histories and schedules survive a restart. Unset = in memory. */
  dbFilename?: string;
}

export async function startTemporalUiServer(
  options: TemporalUiServerOptions = {},
): Promise<TemporalUiServer> {
  const binary = findTemporalBinary('temporal');
  if (!binary) throw new Error('the Temporal CLI was not found: run bash scripts/setup.sh');
  const port = options.port || (await freePort());
  const uiPort = options.uiPort || (await freePort());
  const searchAttributes = ALL_SEARCH_ATTRIBUTES.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${CLI_TYPE[key.type]}`,
  ]);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
  ];
  const child = spawn(
    binary,
    [...args, '--log-level', 'error', '--ui-disable-news-fetch', ...searchAttributes],
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // Should this process die without stopping it, the server must not linger.
  const onExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(address, child, () => stderr);
  } catch (err) {
    killGroup(child, 'SIGKILL');
    throw err;
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
