import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedDemoCollectionOnce, startStandin } from 'milvus-standin';
import { startTemporalUiServer } from '../dev/temporal-ui-server';
import { freePort } from '../dev/free-port';
import { startWorkerMainChild } from '../dev/worker-main-child';
import { errorText } from '../src/shared/text';
import { DEMO_COLLECTION, DEMO_DIM, DEMO_ROWS } from './options';

/**
 * `bash scripts/dev.sh`: a local stack that stays up — the Temporal dev server with its Web UI
 * (history in DIR/temporal.db), the Milvus stand-in (data in DIR/standin, seeded with demo_items
 * once) and the real worker (src/worker.ts, metrics on METRICS_ADDRESS) — until Ctrl-C stops all.
 */

const ROOT = resolve(__dirname, '..');

/**
 * The data directory's stamp: the version that wrote it. Runs (catalog workflows run for ever)
 * started by a build before REPLAYS_FROM do not replay on this worker, so such data is refused
 * before anything starts (no stamp but data = written before 0.9.0, which stamped nothing).
 */
const STAMP_FILE = '.stack-version';
const REPLAYS_FROM = '0.9.0';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function olderThan(version: string, than: string): boolean {
  const parts = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const [a, b] = [parts(version), parts(than)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** What wrote `dir`: undefined when it holds nothing yet, '' when data without a stamp. */
function writtenBy(dir: string): string | undefined {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return undefined;
  const stamp = join(dir, STAMP_FILE);
  return existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
}

/** Refuses (a sentence) data this worker cannot replay; with --wipe empties it instead. */
function checkDataDir(dir: string, wipe: boolean): string | undefined {
  const by = writtenBy(dir);
  if (by !== undefined && wipe) {
    rmSync(dir, { recursive: true, force: true });
    log(`wiped ${dir}`);
  } else if (by !== undefined && olderThan(by, REPLAYS_FROM)) {
    const what = by ? `version ${by}` : `a version before ${REPLAYS_FROM}`;
    return `${dir} was written by ${what}: its workflow runs (the catalogs) will not replay on this worker. Wipe it (rm -rf ${dir}) or start with --wipe; nothing was started.`;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, STAMP_FILE), `${VERSION}\n`);
  return undefined;
}

const USAGE = `usage: bash scripts/dev.sh [flags]

Starts the Temporal dev server (Web UI), the Milvus stand-in with ${DEMO_COLLECTION} and a worker; prints
the UI and metrics URLs and the export line for the CLI; Ctrl-C stops everything. State is kept in
--data: a restart finds its workflows, schedules and collections again (and does not seed again).

flags:
  --data DIR            where state is kept (default .dev-data)
  --temporal-port N     Temporal frontend (default 7233; 0 = any free port)
  --ui-port N           Temporal Web UI (default 8233)
  --milvus-port N       the stand-in (default 19530)
  --metrics-port N      the worker's Prometheus endpoint (default 9464)
  --wipe                empty --data first: needed once for data written before ${REPLAYS_FROM},
                        whose workflow runs this worker cannot replay
  --help`;

function log(line: string): void {
  console.log(`[dev] ${line}`);
}

function port(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name}: must be a port (0-65535)`);
  return n;
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      'temporal-port': { type: 'string' },
      'ui-port': { type: 'string' },
      'milvus-port': { type: 'string' },
      'metrics-port': { type: 'string' },
      wipe: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  return {
    help: values.help ?? false,
    wipe: values.wipe ?? false,
    data: resolve(values.data ?? join(ROOT, '.dev-data')),
    temporalPort: port('temporal-port', values['temporal-port'], 7233),
    uiPort: port('ui-port', values['ui-port'], 8233),
    milvusPort: port('milvus-port', values['milvus-port'], 19530),
    metricsPort: port('metrics-port', values['metrics-port'], 9464),
  };
}

/** Resolves on the first SIGINT/SIGTERM (Ctrl-C reaches the worker too: it drains on its own). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const refused = checkDataDir(options.data, options.wipe);
  if (refused) {
    log(`ERROR: ${refused}`);
    return 2;
  }
  const stops: { name: string; stop: () => Promise<unknown> }[] = [];
  const signal = untilSignal();
  try {
    const temporal = await startTemporalUiServer({
      port: options.temporalPort,
      uiPort: options.uiPort,
      dbFilename: join(options.data, 'temporal.db'),
    });
    stops.push({ name: 'the Temporal dev server', stop: () => temporal.stop() });
    log(`Temporal dev server at ${temporal.address} (history in ${join(options.data, 'temporal.db')})`);

    const standin = await startStandin({ port: options.milvusPort, dataDir: join(options.data, 'standin') });
    stops.push({ name: 'the Milvus stand-in', stop: () => standin.stop() });
    const seed = await seedDemoCollectionOnce(standin.address, {
      collection: DEMO_COLLECTION,
      rows: DEMO_ROWS,
      dim: DEMO_DIM,
    });
    log(
      `Milvus stand-in at ${standin.address}; ${DEMO_COLLECTION}: ${seed.seeded ? 'seeded' : 'kept'} ${seed.rows} rows × dim ${seed.dim}`,
    );

    const metricsPort = options.metricsPort || (await freePort());
    const worker = await startWorkerMainChild(
      {
        TEMPORAL_ADDRESS: temporal.address,
        MILVUS_ADDRESS: standin.address,
        METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      },
      (line) => console.log(line.startsWith('[worker]') ? line : `[worker] ${line}`),
    );
    stops.push({ name: 'the worker', stop: () => worker.stop() });

    log(`Temporal UI: ${temporal.uiUrl}`);
    log(`metrics: ${worker.metricsUrl ?? 'not served (this worker has no METRICS_ADDRESS support)'}`);
    log('for the CLI (npx milvus-snapshot …), in another terminal:');
    console.log(`export TEMPORAL_ADDRESS=${temporal.address} MILVUS_ADDRESS=${standin.address}`);
    log('up; Ctrl-C stops everything');
    const exit = await Promise.race([signal, worker.exited.then((code) => `worker exit ${code}`)]);
    log(`${exit}: stopping…`);
    return 0;
  } catch (err) {
    log(`ERROR: ${errorText(err)}`);
    return 2;
  } finally {
    for (const { name, stop } of stops.reverse()) {
      await stop().catch((err: unknown) => log(`stopping ${name} failed: ${errorText(err)}`));
    }
    log('stopped');
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
