/**
 * CLI: `milvus-standin --port 19530 --data ./data [--token user:pass | MILVUS_STANDIN_TOKEN]
 * [--admin-port 0] [--seed-collection NAME --seed-rows N --seed-dim D] [fault flags]`.
 * Prints the listening address (never the token) and runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import type { FaultConfig } from './faults';
import { startStandin, type StorageConfig } from './index';
import { seedDemoCollectionOnce } from './seed';

const USAGE = `usage: milvus-standin [--host 127.0.0.1] [--port 19530] [--data DIR] [--token user:password]
                      [--admin-port PORT] [--seed-collection NAME --seed-rows N --seed-dim D]
                      [--latency-ms MS] [--time-scale X] [--restore-duration-ms MS]
                      [--restore-fail-at PERCENT] [--restore-fail-reason TEXT] [--corrupt-restore]
                      [--export-duration-ms MS] [--export-fail-at PERCENT] [--faults JSON]
                      [--object-store DIR] [--storage-endpoint HOST:PORT] [--bucket NAME]
                      [--root-path PATH] [--s3-location-form uri|key]
The token may also come from MILVUS_STANDIN_TOKEN, the object store from MILVUS_STANDIN_OBJECT_STORE.`;

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${value}"`);
  return n;
}

function faultsFrom(values: Record<string, string | boolean | undefined>): Partial<FaultConfig> {
  const faults: Partial<FaultConfig> = values.faults
    ? (JSON.parse(String(values.faults)) as Partial<FaultConfig>)
    : {};
  const set = <K extends keyof FaultConfig>(key: K, value: FaultConfig[K] | undefined) => {
    if (value !== undefined) faults[key] = value;
  };
  set('latencyMs', numberFlag('latency-ms', values['latency-ms'] as string | undefined));
  set('timeScale', numberFlag('time-scale', values['time-scale'] as string | undefined));
  set(
    'restoreDurationMs',
    numberFlag('restore-duration-ms', values['restore-duration-ms'] as string | undefined),
  );
  set('restoreFailAtPercent', numberFlag('restore-fail-at', values['restore-fail-at'] as string | undefined));
  set('restoreFailReason', values['restore-fail-reason'] as string | undefined);
  if (values['corrupt-restore']) faults.corruptRestore = true;
  set(
    'exportDurationMs',
    numberFlag('export-duration-ms', values['export-duration-ms'] as string | undefined),
  );
  set('exportFailAtPercent', numberFlag('export-fail-at', values['export-fail-at'] as string | undefined));
  return faults;
}

/** Object storage flags (storage.ts); two stand-ins with one --object-store act as two clusters on one MinIO. */
function storageFrom(values: Record<string, string | boolean | undefined>): Partial<StorageConfig> {
  const form = values['s3-location-form'] as string | undefined;
  if (form !== undefined && form !== 'uri' && form !== 'key')
    throw new Error(`--s3-location-form must be uri or key, got "${form}"`);
  const storage: Partial<StorageConfig> = {};
  const objectStoreDir =
    (values['object-store'] as string | undefined) ?? process.env.MILVUS_STANDIN_OBJECT_STORE;
  if (objectStoreDir) storage.objectStoreDir = objectStoreDir;
  if (values['storage-endpoint']) storage.endpoint = String(values['storage-endpoint']);
  if (values.bucket) storage.bucket = String(values.bucket);
  if (values['root-path'] !== undefined) storage.rootPath = String(values['root-path']);
  if (form) storage.s3LocationForm = form;
  return storage;
}

/** Seeds once: a restart on the same data dir keeps the rows instead of inserting them again. */
async function seed(
  address: string,
  collection: string,
  values: Record<string, string | boolean | undefined>,
  token?: string,
): Promise<void> {
  const rows = numberFlag('seed-rows', values['seed-rows'] as string | undefined) ?? 1000;
  const dim = numberFlag('seed-dim', values['seed-dim'] as string | undefined) ?? 8;
  const outcome = await seedDemoCollectionOnce(address, { collection, rows, dim, token });
  console.log(
    outcome.seeded
      ? `seeded ${collection}: ${rows} rows, dim ${dim}`
      : `${collection} already exists (${outcome.rows} rows, dim ${outcome.dim}), not seeding it again`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      token: { type: 'string' },
      'admin-port': { type: 'string' },
      'seed-collection': { type: 'string' },
      'seed-rows': { type: 'string' },
      'seed-dim': { type: 'string' },
      'latency-ms': { type: 'string' },
      'time-scale': { type: 'string' },
      'restore-duration-ms': { type: 'string' },
      'restore-fail-at': { type: 'string' },
      'restore-fail-reason': { type: 'string' },
      'corrupt-restore': { type: 'boolean' },
      'export-duration-ms': { type: 'string' },
      'export-fail-at': { type: 'string' },
      faults: { type: 'string' },
      'object-store': { type: 'string' },
      'storage-endpoint': { type: 'string' },
      bucket: { type: 'string' },
      'root-path': { type: 'string' },
      's3-location-form': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const token = values.token ?? process.env.MILVUS_STANDIN_TOKEN ?? undefined;
  const standin = await startStandin({
    host: values.host,
    port: numberFlag('port', values.port) ?? 19530,
    dataDir: values.data,
    token: token || undefined,
    faults: faultsFrom(values),
    adminPort: numberFlag('admin-port', values['admin-port']),
    storage: storageFrom(values),
  });
  console.log(`milvus-standin listening on ${standin.address}${token ? ' (auth required)' : ''}`);
  if (standin.adminUrl) console.log(`milvus-standin admin on ${standin.adminUrl}`);

  const seedCollection = values['seed-collection'];
  if (seedCollection) await seed(standin.address, seedCollection, values, token || undefined);

  const shutdown = () => {
    standin.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`milvus-standin: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
