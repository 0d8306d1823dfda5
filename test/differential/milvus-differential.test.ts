import { DataType, logger, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startStandin } from 'milvus-standin';
import { MilvusError } from '../../src/milvus/errors';
import { createMilvusGateway, type SdkMilvusGateway } from '../../src/milvus/sdk-gateway';
import { REAL_MILVUS_VERSION, startRealMilvus } from '../helpers/real-milvus';
import { waitUntil } from '../../dev/wait-until';

/**
 * The same assertions against the stand-in and a real Milvus 2.3.5 server (PyPI `milvus`), through
 * the unmodified Node SDK and the product's gateway: everything the product calls that 2.3 has
 * (no snapshot RPCs there). Where 2.3 and 3.0 differ, `byVersion` states both answers and names
 * the Milvus source of the 3.0 one; docs/standin.md ("Side by side with a real Milvus") lists the differences and the results.
 * Both servers run with authorization on and Milvus's default credential.
 */

logger.level = 'warn';

const TOKEN = 'root:Milvus';
const DIM = 4;
const ROWS = 30;

type MilvusLine = '3.0' | '2.3';

interface Server {
  address: string;
  /** The Milvus line whose behaviour the server follows. */
  line: MilvusLine;
  stop(): Promise<void>;
}

const SERVERS: [string, () => Promise<Server>][] = [
  [
    'stand-in (Milvus 3.0 semantics)',
    async () => {
      const standin = await startStandin({ port: 0, token: TOKEN });
      return { address: standin.address, line: '3.0', stop: () => standin.stop() };
    },
  ],
  [
    `real Milvus ${REAL_MILVUS_VERSION}`,
    async () => {
      const milvus = await startRealMilvus({ auth: true });
      // Reported by the suite run so the start time is on record (docs/standin.md).
      console.log(`real Milvus ${REAL_MILVUS_VERSION} started in ${milvus.startMs} ms`);
      return { address: milvus.address, line: '2.3', stop: () => milvus.stop() };
    },
  ],
];

/** The MilvusError a gateway call rejects with. */
async function milvusError(promise: Promise<unknown>): Promise<MilvusError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MilvusError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** The gRPC error a raw SDK call throws. */
async function grpcError(promise: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: number; details: string };
  }
  throw new Error('expected the call to throw');
}

const FIELDS = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
  { name: 'vector', data_type: DataType.FloatVector, dim: DIM },
  { name: 'title', data_type: DataType.VarChar, max_length: 64 },
];
const row = (i: number) => ({ id: i, vector: [i, 0, 0, 1].map(Math.fround), title: `t${i}` });

describe.each(SERVERS)('differential: %s', (_name, start) => {
  let server: Server;
  let client: MilvusClient;
  let gateway: SdkMilvusGateway;
  /** The answer of this server's Milvus line. */
  const byVersion = <T>(answers: Record<MilvusLine, T>): T => answers[server.line];

  beforeAll(async () => {
    server = await start();
    client = new MilvusClient({ address: server.address, token: TOKEN, maxRetries: 0, logLevel: 'warn' });
    await client.connectPromise;
    gateway = createMilvusGateway({ address: server.address, token: TOKEN });
  }, 300_000);

  afterAll(async () => {
    await gateway?.close();
    await client?.closeConnection();
    await server?.stop();
  });

  /** A collection in `db` with ROWS rows, an index on the vector, flushed and released. */
  async function createFlushed(db: string, collection: string): Promise<void> {
    const res = await client.createCollection({
      db_name: db,
      collection_name: collection,
      fields: FIELDS,
      index_params: [{ field_name: 'vector', index_type: 'FLAT', metric_type: 'L2' }],
    });
    expect(res.error_code).toBe('Success');
    const insert = await client.insert({
      db_name: db,
      collection_name: collection,
      data: Array.from({ length: ROWS }, (_, i) => row(i)),
    });
    expect(insert.insert_cnt).toBe(String(ROWS));
    const flush = await gateway.flush({ db, collection });
    expect(flush.segmentIds.length).toBeGreaterThan(0);
    await waitUntil(
      () => gateway.isFlushed({ db, collection }, flush),
      (flushed) => flushed,
    );
    // The SDK's createCollection with index_params also loads the collection.
    expect((await client.releaseCollection({ db_name: db, collection_name: collection })).error_code).toBe(
      'Success',
    );
  }

  it('GetVersion and CheckHealth through the gateway', async () => {
    const health = await gateway.checkHealth();
    expect(health.healthy).toBe(true);
    // Real: "v2.3.5-lite"; the stand-in names the line it follows.
    expect(health.version).toMatch(new RegExp(`^v${server.line.replace('.', '\\.')}\\.\\d+`));
  });

  it('version gate: snapshot calls need Milvus 3.0; a 2.3 server is refused in one line before any snapshot RPC', async () => {
    const gated = createMilvusGateway({ address: server.address, token: TOKEN });
    try {
      await createFlushed('default', 'diff_gate');
      const snap = { db: 'default', collection: 'diff_gate', snapshot: 'diff_gate_snap' };
      if (server.line === '3.0') {
        await gated.createSnapshot(snap);
        expect(await gated.listSnapshots(snap)).toEqual([snap.snapshot]);
        await gated.dropSnapshot(snap);
      } else {
        const err = await milvusError(gated.createSnapshot(snap));
        expect(err.kind).toBe('UnsupportedVersion');
        expect(err.retryable).toBe(false);
        expect(err.message).toMatch(
          new RegExp(
            `^createSnapshot: Milvus at ${server.address} is v2\\.3\\.5\\S*; snapshots need Milvus 3\\.0 or later$`,
          ),
        );
      }
      // The gateway's other calls work on both lines.
      expect(await gated.countRows({ db: 'default', collection: 'diff_gate' })).toBe(ROWS);
      await gated.dropCollection({ db: 'default', collection: 'diff_gate' });
    } finally {
      await gated.close();
    }
  });

  it('create, insert, flush (GetFlushState), statistics, count, query, release, drop', async () => {
    const ref = { db: 'default', collection: 'diff_items' };
    await createFlushed(ref.db, ref.collection);
    expect(await gateway.hasCollection(ref)).toBe(true);
    expect(await gateway.listCollections('default')).toContain('diff_items');
    // Flushed rows are in the statistics on both (growing rows are reported late by real Milvus).
    expect(await gateway.statisticsRowCount(ref)).toBe(ROWS);

    const described = await gateway.describeCollection(ref);
    expect(described).toEqual({
      db: 'default',
      collection: 'diff_items',
      shardsNum: 1,
      description: '',
      fields: [
        { name: 'id', dataType: 'Int64', isPrimaryKey: true, autoId: false, typeParams: {} },
        {
          name: 'vector',
          dataType: 'FloatVector',
          isPrimaryKey: false,
          autoId: false,
          typeParams: { dim: String(DIM) },
        },
        {
          name: 'title',
          dataType: 'VarChar',
          isPrimaryKey: false,
          autoId: false,
          typeParams: { max_length: '64' },
        },
      ],
    });

    // countRows loads the collection itself when Milvus answers "not loaded".
    expect(await gateway.countRows(ref)).toBe(ROWS);
    expect(await gateway.query(ref, 'id in [3, 7]', ['title'])).toEqual([
      { id: '3', title: 't3' },
      { id: '7', title: 't7' },
    ]);
    expect(await gateway.query(ref, 'id == 2', ['vector', 'title'])).toEqual(
      [row(2)].map((r) => ({ ...r, id: '2' })),
    );
    expect(await gateway.query(ref, 'id >= 0', ['id'], 3)).toEqual([{ id: '0' }, { id: '1' }, { id: '2' }]);

    // Growing rows are visible to a strong count at once.
    await client.insert({ collection_name: ref.collection, data: [row(ROWS)] });
    expect(await gateway.countRows(ref)).toBe(ROWS + 1);

    expect((await client.releaseCollection({ collection_name: ref.collection })).error_code).toBe('Success');
    expect((await client.getLoadState({ collection_name: ref.collection })).state).toBe('LoadStateNotLoad');
    await gateway.dropCollection(ref);
    expect(await gateway.hasCollection(ref)).toBe(false);
    // Dropping a missing collection succeeds (rootcoord drop is idempotent).
    await gateway.dropCollection(ref);
  });

  it('not loaded: query answers 101 naming the collection id; load without an index answers 700', async () => {
    const ref = { db: 'default', collection: 'diff_unloaded' };
    await createFlushed(ref.db, ref.collection);
    const { collectionID } = await client.describeCollection({ collection_name: ref.collection });

    // internal/proxy/task_query.go queryTask.Execute wraps the shard-leader error "failed to query";
    // querycoordv2 GetShardLeaders answers merr.WrapErrCollectionNotLoaded(collectionID).
    const notLoaded = await milvusError(gateway.query(ref, 'id > 0', ['id']));
    expect(notLoaded.code).toBe(101);
    expect(notLoaded.kind).toBe('Unknown');
    expect(notLoaded.message).toContain(`failed to query: collection not loaded[collection=${collectionID}]`);
    const progress = await client.getLoadingProgress({ collection_name: ref.collection });
    expect(progress.status.code).toBe(101);
    expect(progress.status.reason).toBe(`collection not loaded[collection=${collectionID}]`);

    await client.createCollection({ collection_name: 'diff_noindex', fields: FIELDS });
    const noIndex = await milvusError(gateway.loadCollection({ db: 'default', collection: 'diff_noindex' }));
    expect(noIndex.code).toBe(700);
    expect(noIndex.kind).toBe('Unknown');
    expect(noIndex.message).toContain('index not found[collection=diff_noindex]');
  });

  it('not found: codes, reasons and kinds for a missing collection', async () => {
    const ref = { db: 'default', collection: 'diff_missing' };
    const withDb = 'collection not found[database=default][collection=diff_missing]';
    expect(await gateway.hasCollection(ref)).toBe(false);

    // DescribeCollection rewrites the reason "for PyMilvus" (internal/proxy/task.go
    // describeCollectionTask.Execute); 2.3 prefixed the merr text instead.
    const described = await client.describeCollection({ collection_name: ref.collection });
    expect(described.status).toMatchObject({
      code: 100,
      error_code: 'UnexpectedError',
      reason: byVersion({
        '3.0': "can't find collection[database=default][collection=diff_missing]",
        '2.3': `can't find collection ${withDb}`,
      }),
    });
    const describeError = await milvusError(gateway.describeCollection(ref));
    expect(describeError.kind).toBe('CollectionNotFound');

    // Everything else passes rootcoord's merr.WrapErrCollectionNotFoundWithDB through
    // (internal/rootcoord/meta_table.go getCollectionByNameInternal).
    for (const call of [
      () => gateway.countRows(ref),
      () => gateway.loadCollection(ref),
      () => gateway.statisticsRowCount(ref),
      () => gateway.flush(ref),
      () => gateway.query(ref, 'id > 0', ['id']),
    ]) {
      const err = await milvusError(call());
      expect({ code: err.code, kind: err.kind }).toEqual({ code: 100, kind: 'CollectionNotFound' });
      expect(err.message).toContain(withDb);
    }
    const release = await client.releaseCollection({ collection_name: ref.collection });
    expect(release).toMatchObject({ code: 100, error_code: 'CollectionNotExists', reason: withDb });
  });

  it('databases: create, list, duplicate refused, use via the dbname header, missing database', async () => {
    expect((await client.createDatabase({ db_name: 'diff_db' })).error_code).toBe('Success');
    expect((await client.listDatabases()).db_names).toEqual(expect.arrayContaining(['default', 'diff_db']));
    const duplicate = await client.createDatabase({ db_name: 'diff_db' });
    expect(duplicate).toMatchObject({ code: 65535, reason: 'database already exist: diff_db' });

    // A client opened on the database sends it in the dbname header only.
    const inDb = new MilvusClient({
      address: server.address,
      token: TOKEN,
      database: 'diff_db',
      maxRetries: 0,
      logLevel: 'warn',
    });
    try {
      await inDb.connectPromise;
      const created = await inDb.createCollection({ collection_name: 'diff_in_db', fields: FIELDS });
      expect(created.error_code).toBe('Success');
      expect((await inDb.showCollections()).data.map((c) => c.name)).toEqual(['diff_in_db']);
    } finally {
      await inDb.closeConnection();
    }
    expect(await gateway.listCollections('diff_db')).toEqual(['diff_in_db']);
    expect(await gateway.hasCollection({ db: 'diff_db', collection: 'diff_in_db' })).toBe(true);
    expect(await gateway.hasCollection({ db: 'default', collection: 'diff_in_db' })).toBe(false);

    const listMissing = await milvusError(gateway.listCollections('diff_nodb'));
    expect(listMissing).toMatchObject({ code: 800, kind: 'CollectionNotFound' });
    expect(listMissing.message).toContain('database not found[database=diff_nodb]');
    // DescribeCollection resolves the name in rootcoord's meta, which answers 100 for a missing database too.
    const describeMissingDb = await milvusError(
      gateway.describeCollection({ db: 'diff_nodb', collection: 'x' }),
    );
    expect(describeMissingDb).toMatchObject({ code: 100, kind: 'CollectionNotFound' });
    expect(await gateway.hasCollection({ db: 'diff_nodb', collection: 'x' })).toBe(false);
    const headerMissing = new MilvusClient({
      address: server.address,
      token: TOKEN,
      database: 'diff_nodb',
      maxRetries: 0,
      logLevel: 'warn',
      __SKIP_CONNECT__: true,
    });
    try {
      const shown = await headerMissing.showCollections();
      expect(shown.status).toMatchObject({ code: 800, reason: 'database not found[database=diff_nodb]' });
    } finally {
      await headerMissing.closeConnection();
    }
  });

  it('auth: a wrong password and a missing token are gRPC UNAUTHENTICATED with the proxy texts', async () => {
    const refused = async (token?: string) => {
      const other = new MilvusClient({
        address: server.address,
        ...(token ? { token } : {}),
        maxRetries: 0,
        logLevel: 'warn',
        __SKIP_CONNECT__: true,
      });
      try {
        return await grpcError(other.showCollections());
      } finally {
        await other.closeConnection();
      }
    };
    expect(await refused('root:wrong')).toMatchObject({
      code: 16,
      details: 'auth check failure, please check username and password are correct',
    });
    expect(await refused()).toMatchObject({ code: 16, details: 'missing authorization in header' });

    const badGateway = createMilvusGateway({ address: server.address, token: 'root:wrong' });
    try {
      const err = await milvusError(badGateway.listCollections('default'));
      expect({ code: err.code, kind: err.kind, retryable: err.retryable }).toEqual({
        code: 16,
        kind: 'Unauthenticated',
        retryable: false,
      });
    } finally {
      await badGateway.close();
    }
  });
});
