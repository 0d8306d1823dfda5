import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { loadConfig, redactConfig, type AppConfig } from './config';
import type { MilvusGateway } from './milvus/gateway';
import { createMilvusGateway } from './milvus/sdk-gateway';
import { clustersOf, storageProfilesOf, type WorkerResources } from './activities/worker-resources';
import { connectClient, connectWorkerConnection } from './temporal/connection';
import { ensureSearchAttributes } from './temporal/register-search-attributes';
import { createWorkerLogger, installRuntime } from './temporal/runtime';
import { workflowCode } from './temporal/workflow-bundle';
import { errorText } from './shared/text';

const STICKY_QUEUE_TIMEOUT = '3s';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** One Milvus gateway, or every configured cluster and storage profile by name. */
  gateway: MilvusGateway | WorkerResources;
  /**
   * A prebuilt bundle (tests build it once); otherwise `npm run build`'s dist/workflow-bundle.js
   * when up to date, else the workflows are bundled at start.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Identity shown in the Temporal UI for this worker. */
  identity?: string;
}

/** Builds the worker with its activities bound to the given Milvus gateway. */
export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const code = deps.workflowBundle
    ? { workflowBundle: deps.workflowBundle }
    : workflowCode((line) => console.warn(`[worker] ${line}`));
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities: createActivities(deps.gateway),
    // A workflow task queued for a worker that died goes to any worker after this, not after the
    // default 10 s: with the 5 s heartbeat timeout, a step is taken over within 10 s of a kill.
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT,
    // The native worker rejects an explicit `identity: undefined`; omit it to get the default.
    ...(deps.identity ? { identity: deps.identity } : {}),
    ...code,
  });
}

async function registerSearchAttributes(config: AppConfig): Promise<void> {
  const { connection } = await connectClient(config);
  try {
    const result = await ensureSearchAttributes(connection, config.temporal.namespace);
    if (result.added.length) console.log(`[worker] registered search attributes: ${result.added.join(', ')}`);
    if (result.missing.length) {
      console.warn(
        `[worker] could not register search attributes (${result.error}); add them once, e.g. ` +
          `temporal operator search-attribute create --namespace ${config.temporal.namespace} ` +
          result.missing.map((m) => `--name ${m.split('=')[0]} --type ${m.split('=')[1]}`).join(' '),
      );
    }
  } finally {
    await connection.close();
  }
}

/** A gateway per configured cluster (no RPC yet) and the storage profiles. */
export function workerResources(config: AppConfig): WorkerResources {
  const { clusters, profiles } = config;
  return {
    clusters: clustersOf(clusters.map(({ name, ...milvus }) => [name, createMilvusGateway(milvus)] as const)),
    profiles: storageProfilesOf(profiles),
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  console.log('[worker] configuration', JSON.stringify(redactConfig(config)));
  // Before the first connection: one line per expected failure (LOG_LEVEL's threshold), and
  // the Prometheus endpoint when METRICS_ADDRESS is set.
  installRuntime({ metricsAddress: config.metricsAddress, logger: createWorkerLogger(config.logLevel) });
  await registerSearchAttributes(config);
  const resources = workerResources(config);
  const connection = await connectWorkerConnection(config.temporal);
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    gateway: resources,
  });
  if (config.metricsAddress) console.log(`[worker] metrics on http://${config.metricsAddress}/metrics`);
  console.log(
    `[worker] polling task queue ${config.temporal.taskQueue} on ${config.temporal.address}; ` +
      `clusters ${resources.clusters.names.join(', ')} (default ${resources.clusters.defaultName}); ` +
      `storage profiles ${resources.profiles.names.join(', ') || 'none'}`,
  );
  try {
    await worker.run();
  } finally {
    await connection.close();
    await resources.clusters.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`[worker] ${errorText(err)}`);
    process.exit(1);
  });
}
