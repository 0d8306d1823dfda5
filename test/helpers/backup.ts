import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { demoRow } from 'milvus-standin';

/** Inserts demo rows start..start+count-1 without flushing: they stay in the growing segment. */
export async function insertDemoRows(
  address: string,
  opts: { collection: string; start: number; count: number; dim: number; db?: string },
): Promise<void> {
  const client = new MilvusClient({ address, database: opts.db });
  try {
    await client.connectPromise;
    const data = Array.from({ length: opts.count }, (_, k) => demoRow(opts.start + k, opts.dim));
    const res = await client.insert({
      collection_name: opts.collection,
      db_name: opts.db ?? 'default',
      data,
    });
    if (res.status.error_code !== 'Success' && res.status.error_code !== 0) {
      throw new Error(`insert failed: ${res.status.reason}`);
    }
  } finally {
    await client.closeConnection();
  }
}
