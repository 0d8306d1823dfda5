import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { durationMs } from '../src/contracts/input-fields';

/** The demo drill's flags and environment variables (bash scripts/drill.sh --help). */

const PROJECT_ROOT = resolve(__dirname, '..');
export const DEMO_COLLECTION = 'demo_items';
export const DEMO_ROWS = 3000;
export const DEMO_DIM = 64;

export const USAGE = `usage: bash scripts/drill.sh [flags]

Runs one DR drill: backup → restore into a scratch collection → verify → RTO/RPO → drop scratch → report.
Without TEMPORAL_ADDRESS / MILVUS_ADDRESS it starts a Temporal dev server (with UI) and the Milvus
stand-in seeded with a demo collection; with them set it uses those servers (MILVUS_TOKEN, TLS and
the other variables of the worker apply; secrets are never printed).

flags (environment variable in brackets):
  --collection NAME        collection to drill [DRILL_COLLECTION] (default ${DEMO_COLLECTION} on the stand-in;
                           required with MILVUS_ADDRESS)
  --db NAME                database [DRILL_DB] (default "default")
  --source backup|latest   take a fresh backup, or restore the newest verified snapshot [DRILL_SOURCE]
  --disaster cluster-loss  drill the loss of the cluster: back up and export the collection off-site, then
                           restore the newest bundle into the DR cluster (embedded: a second stand-in on
                           the same object store; else cluster "dr" and profile "offsite" from
                           WORKER_CONFIG_FILE) [DRILL_DISASTER]
  --disaster dropped-collection  drill an accidental DropCollection on a scratch copy only: restore,
                           back the scratch up with a protection pin, drop it, recover it through its
                           catalog, compare with the collection, clean up [DRILL_DISASTER]
  --sample-size N          primary keys compared row by row [DRILL_SAMPLE_SIZE] (default 200)
  --rto-objective DUR      e.g. 15m [DRILL_RTO_OBJECTIVE] (default 15m)
  --rpo-objective DUR      e.g. 24h [DRILL_RPO_OBJECTIVE] (default 24h)
  --rows N, --dim N        size of the seeded demo collection on the stand-in (default ${DEMO_ROWS} × ${DEMO_DIM});
                           an existing collection in --standin-data is reused, never seeded again
  --report-dir DIR         where the JSON report goes (default .tools/drill-reports)
  --standin-data DIR       keep the stand-in's data in DIR (to inspect it, or to drill it again)
  --standin-restore-duration DUR
                           how long a restore takes on the stand-in (default 1.5s; longer to watch it)
  --use-deployed-workers   start no worker here: submit to TEMPORAL_TASK_QUEUE, where workers run
  --help`;

export interface DrillJobOptions {
  collection?: string;
  db?: string;
  source?: string;
  disaster?: Disaster;
  sampleSize?: number;
  rtoObjectiveMs?: number;
  rpoObjectiveMs?: number;
  /** Unset: the defaults for a new collection, whatever an existing one has. */
  rows?: number;
  dim?: number;
  reportDir: string;
  standinData?: string;
  standinRestoreMs?: number;
  useDeployedWorkers: boolean;
  help: boolean;
}

/** A set-up problem: exit 2 with this message. */
export class SetupError extends Error {}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new SetupError(`${name}: must be a positive whole number`);
  return n;
}

function duration(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return durationMs(/^\d+$/.test(value) ? Number(value) : value);
  } catch {
    throw new SetupError(`${name}: must be a duration such as "90s", "15m" or "24h"`);
  }
}

const DISASTERS = ['cluster-loss', 'dropped-collection'] as const;
export type Disaster = (typeof DISASTERS)[number];

function disaster(value: string | undefined): Disaster | undefined {
  if (value === undefined) return undefined;
  const known = DISASTERS.find((d) => d === value);
  if (!known) throw new SetupError(`--disaster: must be ${DISASTERS.join(' or ')}`);
  return known;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): DrillJobOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      collection: { type: 'string' },
      db: { type: 'string' },
      source: { type: 'string' },
      disaster: { type: 'string' },
      'sample-size': { type: 'string' },
      'rto-objective': { type: 'string' },
      'rpo-objective': { type: 'string' },
      rows: { type: 'string' },
      dim: { type: 'string' },
      'report-dir': { type: 'string' },
      'standin-data': { type: 'string' },
      'standin-restore-duration': { type: 'string' },
      'use-deployed-workers': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  return {
    collection: values.collection ?? (env.DRILL_COLLECTION || undefined),
    db: values.db ?? (env.DRILL_DB || undefined),
    source: values.source ?? (env.DRILL_SOURCE || undefined),
    disaster: disaster(values.disaster ?? (env.DRILL_DISASTER || undefined)),
    sampleSize: positiveInt('--sample-size', values['sample-size'] ?? (env.DRILL_SAMPLE_SIZE || undefined)),
    rtoObjectiveMs: duration(
      '--rto-objective',
      values['rto-objective'] ?? (env.DRILL_RTO_OBJECTIVE || undefined),
    ),
    rpoObjectiveMs: duration(
      '--rpo-objective',
      values['rpo-objective'] ?? (env.DRILL_RPO_OBJECTIVE || undefined),
    ),
    rows: positiveInt('--rows', values.rows),
    dim: positiveInt('--dim', values.dim),
    reportDir: resolve(values['report-dir'] ?? join(PROJECT_ROOT, '.tools', 'drill-reports')),
    standinData: values['standin-data'] ? resolve(values['standin-data']) : undefined,
    standinRestoreMs: duration('--standin-restore-duration', values['standin-restore-duration']),
    useDeployedWorkers: values['use-deployed-workers'] ?? false,
    help: values.help ?? false,
  };
}
