import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { MilvusError, type MilvusErrorKind } from '../../src/milvus/errors';
import type { MilvusGateway, RestoreJobInfo } from '../../src/milvus/gateway';

/** Helpers for gateway tests against the stand-in over TCP. */

export const DIM = 4;

/** Creates, fills, indexes and loads a collection the way an application would, with the SDK. */
export async function seedCollection(
  address: string,
  collection: string,
  rows: number,
  token?: string,
): Promise<void> {
  const client = new MilvusClient({
    address,
    token,
    __SKIP_CONNECT__: true,
    telemetry: { enabled: false },
    logLevel: 'warn',
  });
  try {
    await client.createCollection({
      collection_name: collection,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
        { name: 'title', data_type: DataType.VarChar, max_length: 64 },
        { name: 'vector', data_type: DataType.FloatVector, dim: DIM },
      ],
    });
    const data = Array.from({ length: rows }, (_, i) => ({
      id: i + 1,
      title: `item ${i + 1}`,
      vector: Array.from({ length: DIM }, (_, d) => (i + d) / 10),
    }));
    await client.insert({ collection_name: collection, data });
    await client.createIndex({
      collection_name: collection,
      field_name: 'vector',
      index_type: 'FLAT',
      metric_type: 'L2',
    });
    await client.flush({ collection_names: [collection] });
    await client.loadCollectionSync({ collection_name: collection });
  } finally {
    await client.closeConnection();
  }
}

/** The MilvusError a call rejects with (fails the test if it resolves or throws anything else). */
export async function milvusError(promise: Promise<unknown>): Promise<MilvusError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MilvusError) return err;
    throw err;
  }
  throw new Error('expected a MilvusError, the call succeeded');
}

export function expectKind(err: MilvusError, kind: MilvusErrorKind, retryable: boolean): void {
  expect(err.kind).toBe(kind);
  expect(err.retryable).toBe(retryable);
}

export const totalCalls = (counts: Record<string, number>) =>
  Object.values(counts).reduce((a, b) => a + b, 0);

export async function waitForRestore(gateway: MilvusGateway, jobId: string): Promise<RestoreJobInfo> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const info = await gateway.getRestoreState(jobId);
    if (info.state === 'Completed' || info.state === 'Failed') return info;
    if (Date.now() > deadline) throw new Error(`restore job ${jobId} still ${info.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
