import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli';
import { leftovers, portOpen } from '../helpers/processes';

const ROOT = resolve(__dirname, '..', '..');
const EXPORT_LINE = /^export TEMPORAL_ADDRESS=(\S+) MILVUS_ADDRESS=(\S+)$/m;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const stampOf = (data: string) => readFileSync(join(data, '.stack-version'), 'utf8').trim();

interface DevRun {
  pid: number;
  output(): string;
  exited: Promise<number | null>;
}

/** `bash scripts/dev.sh` as a person runs it in a terminal: its own process group, Ctrl-C = SIGINT to the group. */
function startDev(data: string, flags: string[] = []): DevRun {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(TEMPORAL_|MILVUS_|METRICS_)/.test(name) && !name.endsWith('_PATH')) delete env[name];
  }
  const ports = ['--temporal-port', '0', '--ui-port', '0', '--milvus-port', '0', '--metrics-port', '0'];
  const child = spawn('bash', ['scripts/dev.sh', '--data', data, ...ports, ...flags], {
    cwd: ROOT,
    env,
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return { pid: child.pid!, output: () => output, exited };
}

async function printed(run: DevRun, pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(run.output());
    if (match) return match;
    const ended = await Promise.race([run.exited.then(() => true), new Promise((r) => setTimeout(r, 250))]);
    if (ended === true) throw new Error(`dev.sh exited before printing ${pattern}:\n${run.output()}`);
  }
}

async function ctrlC(run: DevRun): Promise<number | null> {
  process.kill(-run.pid, 'SIGINT');
  return run.exited;
}

describe('bash scripts/dev.sh: a local stack that stays up', () => {
  let data: string;
  beforeAll(() => {
    data = mkdtempSync(join(tmpdir(), 'dev-stack-'));
  });
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('prints the UI and export lines, serves a CLI backup, stops everything on Ctrl-C, and restarts on the same dirs without seeding again', async () => {
    const first = startDev(data);
    let addresses: string[] = [];
    try {
      const [, temporal, milvus] = await printed(first, EXPORT_LINE);
      const ui = (await printed(first, /Temporal UI: (http:\/\/\S+)/))[1]!;
      addresses = [temporal!, milvus!, ui.replace('http://', '')];
      expect(first.output()).toContain('demo_items: seeded 3000 rows × dim 64');
      expect(stampOf(data)).toBe(VERSION); // the version that wrote the data
      expect(first.output()).toMatch(/\[dev\] metrics: /);
      expect((await fetch(ui)).status).toBe(200);

      const backup = await runCli(['backup', '--collection', 'demo_items', '--fail-without-worker'], {
        TEMPORAL_ADDRESS: temporal!,
        MILVUS_ADDRESS: milvus!,
      });
      expect({ code: backup.code, stderr: backup.code === 0 ? '' : backup.stderr }).toEqual({
        code: 0,
        stderr: '',
      });
      const workflowId = /workflow (backup:\S+)/.exec(backup.stderr + backup.stdout)?.[1];
      expect(workflowId).toBeDefined();

      expect(await ctrlC(first)).toBe(0);
      expect(first.output()).toContain('[dev] stopped');
      for (const address of addresses)
        expect({ address, open: await portOpen(address) }).toEqual({ address, open: false });
      expect(leftovers(first.pid, data)).toEqual([]);

      const second = startDev(data);
      try {
        const [, temporal2, milvus2] = await printed(second, EXPORT_LINE);
        expect(second.output()).toContain('demo_items: kept 3000 rows × dim 64');
        expect(second.output()).not.toContain('seeded');
        // The dev server kept its history: the first run's backup is still there, completed.
        const status = await runCli(['status', workflowId!], {
          TEMPORAL_ADDRESS: temporal2!,
          MILVUS_ADDRESS: milvus2!,
        });
        expect(status.code).toBe(0);
        expect(status.stdout).toMatch(/COMPLETED/i);
      } finally {
        expect(await ctrlC(second)).toBe(0);
      }
      expect(leftovers(second.pid, data)).toEqual([]);
    } finally {
      if (first.output() && !first.output().includes('[dev] stopped')) process.kill(-first.pid, 'SIGKILL');
    }
  }, 400_000);

  it('refuses data written before 0.9.0 (no stamp) before starting anything, saying to wipe it; --wipe empties it and starts', async () => {
    const old = mkdtempSync(join(tmpdir(), 'dev-stack-old-'));
    try {
      writeFileSync(join(old, 'temporal.db'), 'catalog runs of an earlier build');
      const refused = startDev(old);
      expect(await refused.exited).toBe(2);
      expect(refused.output()).toContain(
        `[dev] ERROR: ${old} was written by a version before 0.9.0: its workflow runs (the catalogs) will not replay on this worker. Wipe it (rm -rf ${old}) or start with --wipe; nothing was started.`,
      );
      expect(refused.output()).not.toContain('Temporal dev server at');
      expect(readFileSync(join(old, 'temporal.db'), 'utf8')).toBe('catalog runs of an earlier build');
      expect(existsSync(join(old, '.stack-version'))).toBe(false);

      const wiped = startDev(old, ['--wipe']);
      try {
        await printed(wiped, EXPORT_LINE);
        expect(wiped.output()).toContain(`[dev] wiped ${old}`);
        expect(wiped.output()).toContain('demo_items: seeded 3000 rows × dim 64');
        expect(stampOf(old)).toBe(VERSION);
      } finally {
        expect(await ctrlC(wiped)).toBe(0);
      }
      expect(leftovers(wiped.pid, old)).toEqual([]);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  }, 400_000);
});
