import { SnapshotWorkerClient } from '../client';
import { loadMilvusConfig, loadTemporalConfig } from '../config';
import type { MilvusGateway } from '../milvus/gateway';
import { createMilvusGateway } from '../milvus/sdk-gateway';
import { awaitWorker } from './await-worker';
import type { Flags } from './command';

/** Connects with the configuration from the environment (TEMPORAL_ADDRESS, …). */
export async function connect(): Promise<SnapshotWorkerClient> {
  return SnapshotWorkerClient.connect(loadTemporalConfig());
}

/** Runs `fn` with a connected client and always closes it. */
export async function withClient<T>(fn: (client: SnapshotWorkerClient) => Promise<T>): Promise<T> {
  const client = await connect();
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Commands that wait on a run first make sure a worker will pick it up (see await-worker.ts). */
export async function checkWorker(client: SnapshotWorkerClient, flags: Flags): Promise<void> {
  if (flags.wait === false && flags.failWithoutWorker !== true) return;
  const { address, namespace } = loadTemporalConfig();
  await awaitWorker(client, { address, namespace }, flags.failWithoutWorker === true);
}

/** A gateway to Milvus from MILVUS_ADDRESS (and MILVUS_TOKEN, …), for the commands that read Milvus. */
export async function withMilvus<T>(fn: (gateway: MilvusGateway) => Promise<T>): Promise<T> {
  const gateway = createMilvusGateway(loadMilvusConfig());
  try {
    return await fn(gateway);
  } finally {
    await gateway.close();
  }
}
