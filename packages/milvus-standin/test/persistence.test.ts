import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MilvusCode } from '../src';
import { freshState } from '../src/engine';
import { filePersistence } from '../src/persistence';
import {
  createRichCollection,
  insertRich,
  richRow,
  runStandin,
  sleep,
  waitForRestore,
  type Running,
} from './fixtures';

/** Stop + start on the same data dir: collections, rows, snapshots, pins and running restores survive. */
describe('milvus stand-in: persistence across restart', () => {
  let dataDir: string;
  let run: Running | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'milvus-standin-'));
  });
  afterEach(async () => {
    await run?.stop();
    run = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps databases, collections, sealed and growing rows, indexes, snapshots and pins', async () => {
    run = await runStandin({ dataDir });
    await run.client.createDatabase({ db_name: 'kept_db' });
    await createRichCollection(run.client, 'kept');
    await insertRich(run.client, 'kept', 0, 8);
    await run.client.flush({ collection_names: ['kept'] });
    await insertRich(run.client, 'kept', 8, 11);
    await run.client.createSnapshot({
      collection_name: 'kept',
      snapshot_name: 'snap',
      description: 'before restart',
    });
    const pin = await run.client.pinSnapshotData({
      collection_name: 'kept',
      snapshot_name: 'snap',
      ttl_seconds: 3600,
    });
    const before = await run.client.describeSnapshot({ collection_name: 'kept', snapshot_name: 'snap' });
    const oldAddress = run.standin.address;
    await run.stop();

    run = await runStandin({ dataDir });
    expect(run.standin.address).not.toBe(oldAddress);
    expect((await run.client.listDatabases()).db_names).toEqual(['default', 'kept_db']);
    await run.client.loadCollectionSync({ collection_name: 'kept' });
    expect((await run.client.count({ collection_name: 'kept' })).data).toBe(11);
    const rows = await run.client.query({
      collection_name: 'kept',
      filter: 'pk in [3, 9]',
      output_fields: ['embedding', 'meta'],
    });
    expect(rows.data).toEqual([
      { pk: '3', embedding: richRow(3).embedding, meta: richRow(3).meta },
      { pk: '9', embedding: richRow(9).embedding, meta: richRow(9).meta },
    ]);
    const after = await run.client.describeSnapshot({ collection_name: 'kept', snapshot_name: 'snap' });
    expect(after).toMatchObject({
      name: 'snap',
      description: 'before restart',
      create_ts: before.create_ts,
      s3_location: before.s3_location,
    });
    expect((await run.client.dropSnapshot({ collection_name: 'kept', snapshot_name: 'snap' })).code).toBe(
      MilvusCode.SnapshotPinned,
    );
    await run.client.unpinSnapshotData({ pin_id: pin.pin_id });
    expect(
      (await run.client.dropSnapshot({ collection_name: 'kept', snapshot_name: 'snap' })).error_code,
    ).toBe('Success');

    // The growing rows stayed growing: the next flush seals exactly them.
    const flush = (await run.client.flush({ collection_names: ['kept'] })) as unknown as {
      coll_segIDs: Record<string, { data: string[] }>;
    };
    expect(flush.coll_segIDs.kept!.data).toHaveLength(1);
  });

  it('carries on a restore that was running when the server stopped', async () => {
    // The job must still be running after a restart on a busy machine, whatever the wall time between:
    // a 60 s (simulated) restore that runs at 2× until it executes, then almost stands still.
    const slow = { restoreDurationMs: 60_000, timeScale: 0.001 };
    run = await runStandin({ dataDir, faults: { ...slow, timeScale: 2 } });
    await createRichCollection(run.client, 'src');
    await insertRich(run.client, 'src', 0, 6);
    await run.client.flush({ collection_names: ['src'] });
    await run.client.createSnapshot({ collection_name: 'src', snapshot_name: 'snap' });
    const { job_id } = await run.client.restoreSnapshot({
      snapshot_name: 'snap',
      source_collection_name: 'src',
      target_collection_name: 'dst',
    });
    let state = '';
    while (state !== 'RestoreSnapshotExecuting') {
      state = String((await run.client.getRestoreSnapshotState({ job_id })).info.state);
      await sleep(20);
    }
    run.standin.faults.set({ timeScale: slow.timeScale });
    await run.stop();

    run = await runStandin({ dataDir, faults: slow });
    const resumed = await run.client.getRestoreSnapshotState({ job_id });
    expect(resumed.info.state).toBe('RestoreSnapshotExecuting');
    expect(Number(resumed.info.progress)).toBeLessThan(100);
    run.standin.faults.set({ timeScale: 1000 }); // finish the rest quickly
    const info = await waitForRestore(run.client, String(job_id));
    expect(info.state).toBe('RestoreSnapshotCompleted');
    await run.client.loadCollectionSync({ collection_name: 'dst' });
    expect((await run.client.count({ collection_name: 'dst' })).data).toBe(6);
    expect((await run.client.listRestoreSnapshotJobs({ collection_name: 'dst' })).jobs).toHaveLength(1);
  });

  it('starts empty on a fresh directory and writes its state file and journal there', async () => {
    run = await runStandin({ dataDir });
    expect((await run.client.showCollections()).data).toEqual([]);
    await createRichCollection(run.client, 'first');
    expect(fs.readdirSync(dataDir).sort()).toEqual(['milvus-standin.journal', 'milvus-standin.json']);
    const saved = filePersistence(dataDir).load();
    expect(saved?.collections.map((c) => c.name)).toEqual(['first']);
  });

  it('appends each change to the journal and leaves the state file alone until a restart compacts', async () => {
    run = await runStandin({ dataDir });
    await createRichCollection(run.client, 'big');
    await insertRich(run.client, 'big', 0, 1000);
    await run.client.flush({ collection_names: ['big'] });
    const stateFile = path.join(dataDir, 'milvus-standin.json');
    const journal = path.join(dataDir, 'milvus-standin.journal');
    const sealed = fs.statSync(journal).size;
    for (let i = 0; i < 5; i++) {
      await run.client.createSnapshot({ collection_name: 'big', snapshot_name: `s${i}` });
    }
    // Each snapshot's copy of the 1000 rows is stored once by content: a few KB per snapshot, not ~150 KB.
    expect(fs.statSync(journal).size - sealed).toBeLessThan(5 * 10 * 1024);
    const stateBefore = fs.readFileSync(stateFile, 'utf8');
    const journalBefore = fs.statSync(journal).size;
    await run.client.pinSnapshotData({ collection_name: 'big', snapshot_name: 's0', ttl_seconds: 60 });
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(stateBefore);
    // One line naming the new pin, not the rows each snapshot holds.
    const appended = fs.readFileSync(journal, 'utf8').slice(journalBefore);
    expect(appended.split('\n').filter(Boolean)).toHaveLength(1);
    expect(Buffer.byteLength(appended)).toBeLessThan(1024);
    await run.stop();

    run = await runStandin({ dataDir });
    await run.client.dropSnapshot({ collection_name: 'big', snapshot_name: 's4' });
    expect(fs.readFileSync(stateFile, 'utf8')).not.toBe(stateBefore); // compacted on the first save
    expect((await run.client.listSnapshots({ collection_name: 'big' })).snapshots).toEqual([
      's0',
      's1',
      's2',
      's3',
    ]);
    await run.client.loadCollectionSync({ collection_name: 'big' });
    expect((await run.client.count({ collection_name: 'big' })).data).toBe(1000);
  });

  it('ignores a torn last journal line (a crash in mid-write) and keeps the saves before it', async () => {
    run = await runStandin({ dataDir });
    await createRichCollection(run.client, 'torn');
    await insertRich(run.client, 'torn', 0, 4);
    await run.client.flush({ collection_names: ['torn'] });
    await run.client.createSnapshot({ collection_name: 'torn', snapshot_name: 'kept' });
    await run.stop();
    fs.appendFileSync(path.join(dataDir, 'milvus-standin.journal'), '{"put":[["snapshots",{"id":"9","na');

    run = await runStandin({ dataDir });
    expect((await run.client.listSnapshots({ collection_name: 'torn' })).snapshots).toEqual(['kept']);
    await run.client.createSnapshot({ collection_name: 'torn', snapshot_name: 'after' });
    await run.stop();

    run = await runStandin({ dataDir });
    expect((await run.client.listSnapshots({ collection_name: 'torn' })).snapshots).toEqual([
      'kept',
      'after',
    ]);
  });

  it('refuses a journal corrupted before its last line, naming the file and line', async () => {
    run = await runStandin({ dataDir });
    await createRichCollection(run.client, 'bad');
    await run.client.createDatabase({ db_name: 'later' });
    await run.stop();
    run = undefined;
    const journal = path.join(dataDir, 'milvus-standin.journal');
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    lines[1] = '{not json';
    fs.writeFileSync(journal, lines.join('\n'));
    expect(() => filePersistence(dataDir).load()).toThrow(/milvus-standin\.journal: line 2 is corrupt/);
  });

  it('reads the whole-state file of earlier versions and rewrites it in the current format', async () => {
    const legacy = {
      ...freshState(),
      databases: [
        { name: 'default', id: '1', createdTs: '1' },
        { name: 'old_db', id: '2', createdTs: '2' },
      ],
    };
    fs.writeFileSync(path.join(dataDir, 'milvus-standin.json'), JSON.stringify(legacy));
    run = await runStandin({ dataDir });
    expect((await run.client.listDatabases()).db_names).toEqual(['default', 'old_db']);
    await run.client.createDatabase({ db_name: 'new_db' });
    await run.stop();
    run = await runStandin({ dataDir });
    expect((await run.client.listDatabases()).db_names).toEqual(['default', 'old_db', 'new_db']);
  });
});
