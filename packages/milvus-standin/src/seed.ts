/**
 * Seeds a demo collection through the real SDK (so it works against the stand-in and real Milvus):
 * Int64 "id" (autoID off), FloatVector "vector", VarChar "title", Int64 "year", with values derived
 * from the row index by a seeded generator, so every run produces the same rows.
 */
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { seededRandom } from './seeded-random';

export interface SeedOptions {
  db?: string;
  collection: string;
  rows: number;
  dim: number;
  /** "user:password" when the server requires auth. */
  token?: string;
  /** Seal the inserted rows into a segment (default true), so a snapshot can capture them. */
  flush?: boolean;
}

const INSERT_BATCH = 1000;
const TITLES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

/** The row with index `i` that seedDemoCollection inserts (exported so tests can compare). */
export function demoRow(
  i: number,
  dim: number,
): { id: number; vector: number[]; title: string; year: number } {
  const random = seededRandom(i + 1);
  return {
    id: i + 1,
    vector: Array.from({ length: dim }, () => Math.fround(random())),
    title: `${TITLES[i % TITLES.length]}-${i + 1}`,
    year: 1990 + (i % 35),
  };
}

function assertOk(what: string, status: { error_code?: string | number; reason?: string }): void {
  if (status.error_code !== 'Success' && status.error_code !== 0) {
    throw new Error(`${what} failed: ${status.error_code} ${status.reason ?? ''}`);
  }
}

/** Seeding into a database that does not exist yet creates it (Milvus itself would refuse to connect to it). */
async function ensureDatabase(address: string, db: string, token?: string): Promise<void> {
  const client = new MilvusClient({ address, token, logLevel: 'warn' });
  try {
    await client.connectPromise;
    const { db_names } = await client.listDatabases();
    if (!db_names.includes(db)) assertOk('createDatabase', await client.createDatabase({ db_name: db }));
  } finally {
    await client.closeConnection();
  }
}

/** What seedDemoCollectionOnce found or made. */
export interface SeedOutcome {
  /** false: the collection was there already and nothing was inserted. */
  seeded: boolean;
  /** Rows and vector dimension of the collection as it is now. */
  rows: number;
  dim: number;
}

/**
 * Seeds only when the collection does not exist yet, so a server restarted on the same data dir
 * keeps its rows instead of getting every row a second time (Milvus accepts duplicate primary
 * keys on insert). An existing collection is reported with its row count and dimension, for the
 * caller to compare with what it asked for.
 */
export async function seedDemoCollectionOnce(address: string, opts: SeedOptions): Promise<SeedOutcome> {
  const db_name = opts.db ?? 'default';
  const client = new MilvusClient({ address, token: opts.token, maxRetries: 0, logLevel: 'warn' });
  try {
    await client.connectPromise;
    const dbs = db_name === 'default' ? [db_name] : (await client.listDatabases()).db_names;
    const ref = { db_name, collection_name: opts.collection };
    if (dbs.includes(db_name) && (await client.hasCollection(ref)).value) {
      const described = await client.describeCollection(ref);
      const vector = described.schema.fields.find((f) => f.name === 'vector');
      const stats = await client.getCollectionStatistics(ref);
      return {
        seeded: false,
        rows: Number(stats.stats.find((kv) => kv.key === 'row_count')?.value ?? 0),
        dim: Number(vector?.type_params?.find((kv) => kv.key === 'dim')?.value ?? 0),
      };
    }
  } finally {
    await client.closeConnection();
  }
  await seedDemoCollection(address, opts);
  return { seeded: true, rows: opts.rows, dim: opts.dim };
}

export async function seedDemoCollection(address: string, opts: SeedOptions): Promise<{ rows: number }> {
  const db_name = opts.db ?? 'default';
  if (db_name !== 'default') await ensureDatabase(address, db_name, opts.token);
  const client = new MilvusClient({ address, token: opts.token, database: db_name, logLevel: 'warn' });
  try {
    await client.connectPromise;
    assertOk(
      'createCollection',
      await client.createCollection({
        collection_name: opts.collection,
        db_name,
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
          { name: 'vector', data_type: DataType.FloatVector, dim: opts.dim },
          { name: 'title', data_type: DataType.VarChar, max_length: 256 },
          { name: 'year', data_type: DataType.Int64 },
        ],
        index_params: [{ field_name: 'vector', index_type: 'AUTOINDEX', metric_type: 'L2' }],
      }),
    );
    for (let start = 0; start < opts.rows; start += INSERT_BATCH) {
      const batch = Array.from({ length: Math.min(INSERT_BATCH, opts.rows - start) }, (_, k) =>
        demoRow(start + k, opts.dim),
      );
      const res = await client.insert({ collection_name: opts.collection, db_name, data: batch });
      assertOk('insert', res.status);
    }
    if (opts.flush !== false) {
      const res = await client.flushSync({ collection_names: [opts.collection], db_name } as Parameters<
        MilvusClient['flushSync']
      >[0]);
      assertOk('flush', res.status);
    }
    return { rows: opts.rows };
  } finally {
    await client.closeConnection();
  }
}
