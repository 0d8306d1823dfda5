/**
 * A worker in its own process, for tests that kill it (SIGKILL) mid-run. Configured by env:
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (default "default"), TASK_QUEUE, MILVUS_ADDRESS (cluster
 * "primary"), optionally WORKER_CONFIG (more clusters, storage profiles) and WORKFLOW_BUNDLE_PATH (a prebuilt bundle's code file; bundling here takes seconds).
 * Prints "worker ready" on stdout once it polls. Start it with `node --require tsx/cjs <this file>`.
 */
import { NativeConnection } from '@temporalio/worker';
import { createMilvusGateway } from '../src/milvus/sdk-gateway';
import { clustersOf, storageProfilesOf } from '../src/activities/worker-resources';
import { createWorker } from '../src/worker';
import { loadWorkerFileConfig } from '../src/worker-config-file';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: required('TEMPORAL_ADDRESS') });
  const file = loadWorkerFileConfig(process.env);
  const clusters = clustersOf([
    ['primary', createMilvusGateway({ address: required('MILVUS_ADDRESS') })],
    ...file.clusters.map(({ name, ...c }) => [name, createMilvusGateway(c)] as const),
  ]);
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  const worker = await createWorker({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: required('TASK_QUEUE'),
    gateway: { clusters, profiles: storageProfilesOf(file.profiles) },
    workflowBundle: bundlePath ? { codePath: bundlePath } : undefined,
    identity: `worker-process-${process.pid}`,
  });
  const running = worker.run();
  console.log('worker ready');
  await running;
  await connection.close();
  await clusters.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
