import { SnapshotWorkerClient } from '../client';
import { loadTemporalConfig } from '../config';
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
