import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandin, type Standin } from '../src';
import { seedDemoCollection } from '../src/seed';

const PYTHON = join(__dirname, '..', '..', '..', '.tools', 'venv', 'bin', 'python');

/**
 * The stand-in speaks the real Milvus protocol, so the other official client, pymilvus (installed
 * pinned by scripts/setup.sh), works against it unmodified: snapshot, restore, query, errors.
 */
describe('milvus stand-in: pymilvus client', () => {
  let standin: Standin;

  beforeAll(async () => {
    standin = await startStandin({ port: 0, faults: { restoreDurationMs: 500 } });
    await seedDemoCollection(standin.address, { collection: 'py_items', rows: 300, dim: 8 });
  });
  afterAll(async () => standin?.stop());

  it('creates, lists, describes and restores a snapshot through pymilvus', async () => {
    const { stdout } = await promisify(execFile)(PYTHON, [
      join(__dirname, 'pymilvus-client.py'),
      standin.address,
      'py_items',
    ]);
    const out = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(out.collections).toEqual(['py_items']);
    expect(out.count).toBe(300);
    expect(out.snapshots).toEqual(['py_snap']);
    expect(out.describe).toEqual({ name: 'py_snap', collection: 'py_items', description: 'from pymilvus' });
    expect(out.restore).toEqual({
      state: 'RestoreSnapshotCompleted',
      progress: 100,
      collection: 'py_restored',
    });
    expect(out.restoredCount).toBe(300);
    expect(out.restoredKeys).toEqual([1, 2]);
    expect(out.vectorLength).toBe(8);
    expect(out.missingError.message).toMatch(/snapshot not found/i);
  });
});
