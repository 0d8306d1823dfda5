import { demoRow, seedDemoCollection, seedDemoCollectionOnce } from '../src/seed';
import { runStandin, sdkClient, waitForRestore, type Running } from './fixtures';

/** seedDemoCollection through the SDK: deterministic rows, flushed by default, any database. */
describe('milvus stand-in: seedDemoCollection', () => {
  let run: Running;

  beforeAll(async () => {
    run = await runStandin();
  });
  afterAll(async () => run?.stop());

  it('creates, fills and flushes the demo collection with the same rows every time', async () => {
    expect(await seedDemoCollection(run.standin.address, { collection: 'demo', rows: 1500, dim: 6 })).toEqual(
      { rows: 1500 },
    );
    expect((await run.client.count({ collection_name: 'demo' })).data).toBe(1500);
    const res = await run.client.query({
      collection_name: 'demo',
      filter: 'id in [1, 1500]',
      output_fields: ['*'],
    });
    expect(res.data).toEqual(
      [demoRow(0, 6), demoRow(1499, 6)].map((r) => ({
        id: String(r.id),
        vector: r.vector,
        title: r.title,
        year: String(r.year),
      })),
    );
    expect(demoRow(41, 6)).toEqual(demoRow(41, 6));
    // Flushed: everything is sealed, so a snapshot captures it.
    expect(
      (await run.client.createSnapshot({ collection_name: 'demo', snapshot_name: 'seeded' })).error_code,
    ).toBe('Success');
  });

  it('leaves rows growing with flush: false, so a snapshot holds none of them', async () => {
    await seedDemoCollection(run.standin.address, { collection: 'unflushed', rows: 5, dim: 4, flush: false });
    const res = await run.client.createSnapshot({ collection_name: 'unflushed', snapshot_name: 's' });
    expect(res.error_code).toBe('Success');
    const job = await run.client.restoreSnapshot({
      snapshot_name: 's',
      source_collection_name: 'unflushed',
      target_collection_name: 'unflushed_copy',
    });
    expect((await waitForRestore(run.client, String(job.job_id))).state).toBe('RestoreSnapshotCompleted');
    await run.client.loadCollectionSync({ collection_name: 'unflushed_copy' });
    expect(Number((await run.client.count({ collection_name: 'unflushed_copy' })).data)).toBe(0);
  });

  it('creates a missing database; a client on an unknown database gets database not found', async () => {
    await seedDemoCollection(run.standin.address, { db: 'seeded_db', collection: 'demo', rows: 3, dim: 4 });
    expect((await run.client.listDatabases()).db_names).toContain('seeded_db');
    expect((await run.client.count({ collection_name: 'demo', db_name: 'seeded_db' })).data).toBe(3);

    const stray = sdkClient(run.standin, { database: 'no_such_db' });
    try {
      await stray.connectPromise;
      // (DescribeCollection would answer 100: rootcoord resolves the name without checking the database.)
      const res = await stray.showCollections();
      expect(res.status).toMatchObject({ code: 800, reason: 'database not found[database=no_such_db]' });
    } finally {
      await stray.closeConnection();
    }
  });

  it('seeds once: a second call finds the collection and reports its rows and dimension instead of inserting', async () => {
    const opts = { db: 'once_db', collection: 'once', rows: 7, dim: 4 };
    expect(await seedDemoCollectionOnce(run.standin.address, opts)).toEqual({
      seeded: true,
      rows: 7,
      dim: 4,
    });
    expect(await seedDemoCollectionOnce(run.standin.address, { ...opts, rows: 9, dim: 8 })).toEqual({
      seeded: false,
      rows: 7,
      dim: 4,
    });
    expect((await run.client.count({ collection_name: 'once', db_name: 'once_db' })).data).toBe(7);
  });
});
