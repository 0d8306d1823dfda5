import * as grpc from '@grpc/grpc-js';
import { DataType, logger, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startStandin, type Standin, type StandinOptions } from '../src';
import { milvusServiceDefinition } from '../src/proto';

// Under jest (NODE_ENV=test) the SDK logs every request at debug level; keep test output readable.
logger.level = 'warn';

/** A real SDK client; no retries unless asked, so injected faults are seen as they are. */
export function sdkClient(standin: Standin, extra: Record<string, unknown> = {}): MilvusClient {
  return new MilvusClient({ address: standin.address, maxRetries: 0, ...extra });
}

export interface Running {
  standin: Standin;
  client: MilvusClient;
  stop(): Promise<void>;
}

export async function runStandin(options: StandinOptions = {}): Promise<Running> {
  const standin = await startStandin({ port: 0, ...options });
  const client = sdkClient(standin, options.token ? { token: options.token } : {});
  await client.connectPromise;
  return {
    standin,
    client,
    async stop() {
      await client.closeConnection();
      await standin.stop();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A collection with every scalar kind the stand-in supports, indexed and loaded. Rows are generated
 * from the index. (The SDK's createCollection sends its index request without db_name, so a
 * non-default db needs a client opened on that db.)
 */
export async function createRichCollection(client: MilvusClient, name: string, dim = 4): Promise<void> {
  const res = await client.createCollection({
    collection_name: name,
    fields: [
      { name: 'pk', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'embedding', data_type: DataType.FloatVector, dim },
      { name: 'label', data_type: DataType.VarChar, max_length: 64 },
      { name: 'score', data_type: DataType.Float },
      { name: 'active', data_type: DataType.Bool },
      { name: 'meta', data_type: DataType.JSON },
    ],
    index_params: [{ field_name: 'embedding', index_type: 'AUTOINDEX', metric_type: 'COSINE' }],
  });
  expect(res.error_code).toBe('Success');
}

export function richRow(i: number, dim = 4) {
  return {
    pk: i,
    embedding: Array.from({ length: dim }, (_, k) => Math.fround((i * 10 + k) / 100)),
    label: `label-${i}`,
    score: Math.fround(i / 4),
    active: i % 2 === 0,
    meta: { i, tag: `t${i % 3}` },
  };
}

export async function insertRich(
  client: MilvusClient,
  name: string,
  from: number,
  to: number,
  dim = 4,
  db?: string,
): Promise<void> {
  const data = Array.from({ length: to - from }, (_, k) => richRow(from + k, dim));
  const res = await client.insert({ collection_name: name, data, ...(db ? { db_name: db } : {}) });
  expect(res.status.error_code).toBe('Success');
}

/** A rich collection of `rows` sealed rows (flushed) and a snapshot of it under each name. */
export async function richCollectionWithSnapshots(
  client: MilvusClient,
  name: string,
  snapshots: string[],
  rows = 12,
): Promise<void> {
  await createRichCollection(client, name);
  await insertRich(client, name, 0, rows);
  await client.flushSync({ collection_names: [name] });
  for (const snapshot of snapshots) {
    const res = await client.createSnapshot({ collection_name: name, snapshot_name: snapshot });
    expect(res.error_code).toBe('Success');
  }
}

/** RestoreSnapshot through the SDK, which must accept it; the job id. */
export async function restoreSnapshot(
  client: MilvusClient,
  source: string,
  snapshot: string,
  target: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await client.restoreSnapshot({
    snapshot_name: snapshot,
    source_collection_name: source,
    target_collection_name: target,
    ...extra,
  });
  expect(res.status.code).toBe(0);
  return String(res.job_id);
}

/** Polls the restore job until it leaves Pending/Executing. */
export async function waitForRestore(client: MilvusClient, jobId: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.getRestoreSnapshotState({ job_id: jobId });
    const state = String(res.info.state);
    if (state === 'RestoreSnapshotCompleted' || state === 'RestoreSnapshotFailed') return res.info;
    if (Date.now() > deadline) throw new Error(`restore ${jobId} still ${state} after ${timeoutMs} ms`);
    await sleep(25);
  }
}

/**
 * Calls one MilvusService method over TCP with a plain gRPC client built from the SDK's proto, for
 * requests the SDK refuses to send (it checks e.g. collection_name client-side, the proxy checks too).
 */
export async function rawCall(
  standin: Standin,
  method: string,
  request: Record<string, unknown>,
): Promise<Record<string, any>> {
  const Client = grpc.makeGenericClientConstructor(milvusServiceDefinition(), 'MilvusService');
  const client = new Client(standin.address, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) =>
      (client as unknown as Record<string, Function>)[method]!.call(
        client,
        request,
        (err: Error | null, res: Record<string, any>) => (err ? reject(err) : resolve(res)),
      ),
    );
  } finally {
    client.close();
  }
}
