import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '../src/config';
import { startStandin, seedDemoCollectionOnce, type SeedOutcome } from 'milvus-standin';
import type { MilvusGateway } from '../src/milvus/gateway';
import { DEFAULT_DB } from '../src/milvus/names';
import { createMilvusGateway } from '../src/milvus/sdk-gateway';
import {
  drillInputSchema,
  drillProgressQuery,
  drillWorkflowId,
  isScratchCollectionName,
  type DrillInput,
} from '../src/contracts/drill';
import { parseInput } from '../src/contracts/parse-input';
import { connectClient, connectWorkerConnection } from '../src/temporal/connection';
import { ensureSearchAttributes } from '../src/temporal/register-search-attributes';
import { createWorker, workerResources } from '../src/worker';
import { prepareBackupStart } from '../src/contracts/backup';
import type { backupWorkflow } from '../src/workflows/backup';
import type { drillWorkflow } from '../src/workflows/drill';
import { startTemporalUiServer, type TemporalUiServer } from '../dev/temporal-ui-server';
import { renderDrillReport } from '../src/drill/render-report';
import { log, startedAt } from './log';
import {
  DEMO_COLLECTION,
  DEMO_DIM,
  DEMO_ROWS,
  parseOptions,
  SetupError,
  USAGE,
  type DrillJobOptions,
} from './options';
import { watchProgress } from './watch-progress';
import { formatDuration, type DrillReport } from '../src/drill/report';
import { errorText } from '../src/shared/text';
import { workflowSummary } from '../src/temporal/summaries';

/**
 * The README's first command (`bash scripts/drill.sh`): one disaster-recovery drill, end to end.
 * Whatever is not configured is started here — the Temporal dev server with its UI when
 * TEMPORAL_ADDRESS is unset, the Milvus stand-in seeded with a demo collection when MILVUS_ADDRESS
 * is unset — then a worker, the drill with progress lines, the Markdown report, a JSON report
 * file, and a clean shutdown. Exit 0 on pass, 1 on fail or cancellation, 2 on a set-up error.
 */

/** Things to stop at the end, newest first; each is tried even when an earlier one fails. */
class Closers {
  private readonly stack: { name: string; close: () => Promise<unknown> }[] = [];

  add(name: string, close: () => Promise<unknown>): void {
    this.stack.push({ name, close });
  }

  async closeAll(): Promise<void> {
    for (const { name, close } of this.stack.reverse()) {
      try {
        await close();
      } catch (err) {
        log(`stopping ${name} failed: ${errorText(err)}`);
      }
    }
  }
}

async function startEmbeddedTemporal(closers: Closers): Promise<TemporalUiServer> {
  log('starting the Temporal dev server (with its Web UI)…');
  const server = await startTemporalUiServer();
  closers.add('the Temporal dev server', () => server.stop());
  log(`Temporal dev server at ${server.address}; Temporal UI: ${server.uiUrl}`);
  return server;
}

async function startEmbeddedMilvus(
  options: DrillJobOptions,
  collection: string,
  closers: Closers,
  objectStore?: string,
): Promise<string> {
  log(`starting the Milvus stand-in${options.standinData ? ` (data in ${options.standinData})` : ''}…`);
  const faults = options.standinRestoreMs ? { restoreDurationMs: options.standinRestoreMs } : undefined;
  // Cluster loss: two stand-ins on one object store act as two clusters on one MinIO.
  const storage = objectStore ? { storage: { objectStoreDir: objectStore, bucket: 'primary' } } : {};
  const standin = await startStandin({ port: 0, dataDir: options.standinData, faults, ...storage });
  closers.add('the Milvus stand-in', () => standin.stop());
  const began = Date.now();
  const [rows, dim] = [options.rows ?? DEMO_ROWS, options.dim ?? DEMO_DIM];
  const seed = await seedDemoCollectionOnce(standin.address, { collection, rows, dim });
  if (seed.seeded) {
    log(
      `Milvus stand-in at ${standin.address}; seeded ${collection}: ${rows} rows × dim ${dim} in ${formatDuration(Date.now() - began)}`,
    );
    return standin.address;
  }
  checkSameShape(options, collection, seed);
  log(
    `Milvus stand-in at ${standin.address}; ${collection} kept from ${options.standinData}: ${seed.rows} rows × dim ${seed.dim}`,
  );
  return standin.address;
}

/** The DR cluster of the embedded cluster-loss drill, and where bundles go (the same object store). */
async function startEmbeddedDr(objectStore: string, closers: Closers): Promise<Record<string, unknown>> {
  const dr = await startStandin({ port: 0, storage: { objectStoreDir: objectStore, bucket: 'dr' } });
  closers.add('the DR stand-in', () => dr.stop());
  log(`DR cluster (a second stand-in on the same object store) at ${dr.address}`);
  return {
    clusters: { dr: { address: dr.address } },
    profiles: { offsite: { targetS3Path: 'minio://127.0.0.1:9000/offsite/drill' } },
  };
}

/** Cluster loss: a verified backup exported off-site first, so the catalog has a bundle to restore. */
async function backupOffsite(client: Client, taskQueue: string, collection: string, db: string) {
  log(`backing up ${db}.${collection} and exporting it off-site (profile offsite)…`);
  const input = { collection, db, export: { profile: 'offsite' } };
  const { input: started, workflowId } = prepareBackupStart(input, new Date());
  const result = await client.workflow.execute<typeof backupWorkflow>('backupWorkflow', {
    taskQueue,
    workflowId,
    args: [started],
  });
  log(
    `off-site bundle of ${result.snapshot}: ${result.export?.totalFiles} files, ${result.export?.totalBytes} bytes`,
  );
}

/** A kept collection is reused as it is; asking for another size is refused, not half-applied. */
function checkSameShape(options: DrillJobOptions, collection: string, kept: SeedOutcome): void {
  const differs = [
    options.rows !== undefined && options.rows !== kept.rows ? `--rows ${options.rows}` : '',
    options.dim !== undefined && options.dim !== kept.dim ? `--dim ${options.dim}` : '',
  ].filter(Boolean);
  if (differs.length === 0) return;
  throw new SetupError(
    `${collection} in ${options.standinData} already has ${kept.rows} rows × dim ${kept.dim}, so ${differs.join(' ')} cannot apply: ` +
      `drop ${differs.map((d) => d.split(' ')[0]).join(' and ')} to drill it as it is, or pass a new --standin-data directory`,
  );
}

function drillInput(options: DrillJobOptions, config: AppConfig, collection: string): DrillInput {
  const raw = {
    collection,
    db: options.db ?? DEFAULT_DB,
    ...(options.source ? { source: options.source } : {}),
    ...(options.disaster === 'cluster-loss' ? { source: 'bundle', drCluster: 'dr' } : {}),
    ...(options.disaster === 'dropped-collection' ? { disaster: 'dropped-collection' } : {}),
    ...(options.sampleSize ? { sampleSize: options.sampleSize } : {}),
    ...(options.rtoObjectiveMs ? { rtoObjective: options.rtoObjectiveMs } : {}),
    ...(options.rpoObjectiveMs ? { rpoObjective: options.rpoObjectiveMs } : {}),
  };
  // Same validation as the workflow and the CLI, before anything is started.
  return parseInput(drillInputSchema, raw, 'drill input');
}

function writeReport(dir: string, report: DrillReport): string {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const file = join(dir, `drill-${report.db}.${report.collection}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** Independent of the report: asks Milvus whether the scratch collection is really gone. */
async function checkNoScratchLeft(
  gateway: MilvusGateway,
  scratch: { db: string; collection: string },
): Promise<boolean> {
  const left = (await gateway.listCollections(scratch.db)).filter(isScratchCollectionName);
  const ours = left.includes(scratch.collection);
  log(
    `scratch collection ${scratch.db}.${scratch.collection}: ${ours ? 'STILL PRESENT' : 'gone (checked in Milvus)'}`,
  );
  log(`scratch collections left in ${scratch.db}: ${left.length ? left.join(', ') : 'none'}`);
  return !ours;
}

interface Started {
  config: AppConfig;
  uiUrl?: string;
  collection: string;
}

async function startServers(options: DrillJobOptions, closers: Closers): Promise<Started> {
  const env = { ...process.env };
  const collection = options.collection ?? (env.MILVUS_ADDRESS ? undefined : DEMO_COLLECTION);
  if (!collection)
    throw new SetupError('with MILVUS_ADDRESS set, name the collection: --collection or DRILL_COLLECTION');
  let uiUrl: string | undefined;
  if (!env.TEMPORAL_ADDRESS) {
    const temporal = await startEmbeddedTemporal(closers);
    env.TEMPORAL_ADDRESS = temporal.address;
    uiUrl = temporal.uiUrl;
  } else log(`using Temporal at ${env.TEMPORAL_ADDRESS}`);
  if (!env.MILVUS_ADDRESS) {
    const objectStore =
      options.disaster === 'cluster-loss' ? mkdtempSync(join(tmpdir(), 'drill-object-store-')) : undefined;
    if (objectStore) closers.add('the object store', async () => rmSync(objectStore, { recursive: true }));
    env.MILVUS_ADDRESS = await startEmbeddedMilvus(options, collection, closers, objectStore);
    delete env.MILVUS_TOKEN; // the stand-in runs without auth
    if (objectStore) env.WORKER_CONFIG = JSON.stringify(await startEmbeddedDr(objectStore, closers));
  } else log(`using Milvus at ${env.MILVUS_ADDRESS}`);
  return { config: loadConfig(env), uiUrl, collection };
}

async function startLocalWorker(config: AppConfig, closers: Closers): Promise<string> {
  const taskQueue = `drill-${randomUUID()}`;
  const connection = await connectWorkerConnection(config);
  closers.add('the worker connection', () => connection.close());
  log('starting a worker (bundling the workflows)…');
  const resources = workerResources(config);
  closers.add('the worker gateways', () => resources.clusters.close());
  const worker: Worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    gateway: resources,
    identity: `drill-job-${process.pid}`,
  });
  const running = worker.run();
  closers.add('the worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  log(`worker polling task queue ${taskQueue}`);
  return taskQueue;
}

async function runJob(options: DrillJobOptions, closers: Closers): Promise<number> {
  const { config, uiUrl, collection } = await startServers(options, closers);
  const input = drillInput(options, config, collection);
  const gateway = createMilvusGateway(config.milvus);
  closers.add('the Milvus gateway', () => gateway.close());
  const ref = { db: input.db ?? 'default', collection };
  if (!(await gateway.hasCollection(ref)))
    throw new SetupError(`collection ${ref.db}.${ref.collection} does not exist`);

  const { connection, client } = await connectClient(config);
  closers.add('the Temporal client', () => connection.close());
  if (!uiUrl) await registerSearchAttributes(connection, config.temporal.namespace);
  const taskQueue = options.useDeployedWorkers
    ? config.temporal.taskQueue
    : await startLocalWorker(config, closers);
  if (options.disaster === 'cluster-loss') await backupOffsite(client, taskQueue, collection, ref.db);
  // The scratch collection lives on the cluster the drill restores into.
  const scratchGateway = options.disaster === 'cluster-loss' ? drGateway(config, closers) : gateway;

  const workflowId = drillWorkflowId(
    input,
    `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`,
  );
  const handle = await client.workflow.start<typeof drillWorkflow>('drillWorkflow', {
    taskQueue,
    workflowId,
    args: [input],
    staticSummary: workflowSummary('drillWorkflow', input),
  });
  log(`drill ${workflowId} started`);
  if (uiUrl)
    log(
      `follow it in the Temporal UI: ${uiUrl}/namespaces/${config.temporal.namespace}/workflows/${encodeURIComponent(workflowId)}`,
    );
  const cancelOnSignal = onFirstSignal(async () => {
    log('cancelling the drill; its cleanup still drops the scratch collection…');
    await handle.cancel();
  });
  const result = handle.result();
  await watchProgress(client, handle, result);
  try {
    const report = await result;
    cancelOnSignal();
    console.log(`\n${renderDrillReport(report)}`);
    log(`JSON report: ${writeReport(options.reportDir, report)}`);
    const clean = await checkNoScratchLeft(scratchGateway, report.scratch);
    log(
      `RTO ${report.rto.measuredMs === null ? 'not measured' : formatDuration(report.rto.measuredMs)}, RPO ${report.rpo.measuredMs === null ? 'not measured' : formatDuration(report.rpo.measuredMs)}: drill ${report.outcome.toUpperCase()}`,
    );
    return report.outcome === 'pass' && clean ? 0 : 1;
  } catch (err) {
    cancelOnSignal();
    const progress = await handle.query(drillProgressQuery).catch(() => undefined);
    log(`the drill did not complete: ${failureText(err)}`);
    if (progress) await checkNoScratchLeft(scratchGateway, progress.scratch);
    return 1;
  }
}

function drGateway(config: AppConfig, closers: Closers): MilvusGateway {
  const dr = config.clusters.find((c) => c.name === 'dr');
  if (!dr) throw new SetupError('--disaster cluster-loss needs a cluster "dr" (WORKER_CONFIG_FILE)');
  const { name: _name, ...settings } = dr;
  const gateway = createMilvusGateway(settings);
  closers.add('the DR gateway', () => gateway.close());
  return gateway;
}

function failureText(err: unknown): string {
  if (!(err instanceof Error)) return errorText(err);
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}

async function registerSearchAttributes(
  connection: Awaited<ReturnType<typeof connectClient>>['connection'],
  namespace: string,
) {
  const result = await ensureSearchAttributes(connection, namespace);
  if (result.added.length) log(`registered search attributes: ${result.added.join(', ')}`);
  if (result.missing.length)
    log(`WARNING: search attributes missing and not registrable (${result.missing.join(', ')})`);
}

const SAME_CTRL_C_MS = 1000;

/**
 * First Ctrl-C cancels the drill (cleanup runs); a second one exits at once. Signals that arrive
 * while the first is still being handled (a terminal and a wrapper both delivering the same Ctrl-C,
 * a user pressing twice on a loaded machine) are that same Ctrl-C: only one pressed after the
 * cancellation reached Temporal, and at least SAME_CTRL_C_MS after the first, counts as the second.
 * Returns the un-install.
 */
function onFirstSignal(onFirst: () => Promise<void>): () => void {
  let state: 'waiting' | 'handling' | 'handled' = 'waiting';
  let firstAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    // A cancel can reach a local Temporal before a duplicate delivery is handled: within
    // SAME_CTRL_C_MS of the first it is still the same Ctrl-C.
    if (state === 'handled' && Date.now() - firstAt >= SAME_CTRL_C_MS) {
      log(`${signal} again: exiting without waiting for the cleanup`);
      process.exit(130);
    }
    if (state !== 'waiting') return;
    state = 'handling';
    firstAt = Date.now();
    onFirst()
      .catch((err) => log(`cancel failed: ${errorText(err)}`))
      .finally(() => (state = 'handled'));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const closers = new Closers();
  try {
    const options = parseOptions(argv, process.env);
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    // Worker and bridge logs at WARN: the progress lines are the output people read. No shutdown
    // signals: Ctrl-C must cancel the drill and let this worker run its cleanup, not stop the worker.
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    return await runJob(options, closers);
  } catch (err) {
    log(`ERROR: ${errorText(err)}`);
    return 2;
  } finally {
    log('shutting down…');
    await closers.closeAll();
    log(`done in ${formatDuration(Date.now() - startedAt)} (wall time)`);
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
