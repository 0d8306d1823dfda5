import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { seedDemoCollection } from 'milvus-standin';
import { SnapshotWorkerClient } from '../../src/client';
import type { RecoverInput } from '../../src/contracts/recover';
import { FailureType } from '../../src/contracts/failures';
import { expectDemoRows } from '../helpers/demo-rows';
import { recordHistory } from '../helpers/history-json';
import { rejectionOf } from '../helpers/failure';
import { callsPerTest, useStack } from '../helpers/stack';

const DIM = 4;
const db = 'default';

/**
 * Dev server, worker and stand-in over TCP: a DropCollection by mistake, then recovery through the
 * catalog (RestoreExternalSnapshot with the recorded metadata URI).
 */
describe('recoverWorkflow', () => {
  const stack = useStack();
  const calls = callsPerTest(() => stack().standin);
  const client = () => new SnapshotWorkerClient(stack().client, stack().taskQueue);

  async function backedUp(collection: string, rows: number, protect?: { pinNewest: number; pinTtl: string }) {
    await seedDemoCollection(stack().standin.address, { collection, rows, dim: DIM });
    return client().backup({ collection, snapshot: `${collection}_s1`, ...(protect ? { protect } : {}) });
  }

  async function refusal(input: RecoverInput): Promise<ApplicationFailure> {
    const err = await rejectionOf((await client().startRecover(input)).result(), WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    return err.cause as ApplicationFailure;
  }

  it('recovers every row of a collection dropped right after a protected backup', async () => {
    const backup = await backedUp('rc_docs', 300, { pinNewest: 2, pinTtl: '30d' });
    expect(backup.protection).toMatchObject({ pinned: ['rc_docs_s1'] });
    await stack().gateway.dropCollection({ db, collection: 'rc_docs' });
    // Milvus resolves snapshots by collection name: after the drop only the catalog knows it.
    expect((await client().catalog({ collection: 'rc_docs' })).entries).toMatchObject([
      { snapshot: 'rc_docs_s1', rowCount: 300, pin: {} },
    ]);

    const handle = await client().startRecover({
      collection: 'rc_docs',
      verify: { load: true, sampleSize: 50 },
    });
    const result = await handle.result();
    expect(result).toMatchObject({
      collection: 'rc_docs',
      target: 'rc_docs',
      snapshot: 'rc_docs_s1',
      rowCount: 300,
      sampleRows: 50,
      adopted: false,
      pinReleased: false,
    });
    expect(calls('RestoreExternalSnapshot')).toBe(1);
    await expectDemoRows(stack().gateway, { db, collection: 'rc_docs' }, 300, DIM);
    await recordHistory(handle, 'recoverWorkflow.json');
  });

  it('recovers under a new name and releases the pin when asked', async () => {
    await backedUp('rc_renamed', 40, { pinNewest: 1, pinTtl: '30d' });
    await stack().gateway.dropCollection({ db, collection: 'rc_renamed' });
    const result = await client().recover({
      collection: 'rc_renamed',
      as: 'rc_renamed_back',
      releasePin: true,
    });
    expect(result).toMatchObject({ target: 'rc_renamed_back', rowCount: 40, pinReleased: true });
    expect(await stack().gateway.countRows({ db, collection: 'rc_renamed_back' })).toBe(40);
    const [entry] = (await client().catalog({ collection: 'rc_renamed' })).entries;
    expect(entry.pin).toBeUndefined();
    // Released after the drop, the snapshot is collected: a second recovery is refused with the reason.
    const again = await refusal({ collection: 'rc_renamed', as: 'rc_renamed_again' });
    expect(again.type).toBe(FailureType.NothingProtected);
  });

  it('refuses to recover a dropped collection whose backups were not protected, saying why', async () => {
    await backedUp('rc_unprotected', 20);
    await stack().gateway.dropCollection({ db, collection: 'rc_unprotected' });
    const err = await refusal({ collection: 'rc_unprotected' });
    expect(err.type).toBe(FailureType.NothingProtected);
    expect(err.message).toMatch(/nothing in the catalog of default\.rc_unprotected is protected .*pinNewest/);
    expect(await stack().gateway.hasCollection({ db, collection: 'rc_unprotected' })).toBe(false);
    expect(calls('RestoreExternalSnapshot')).toBe(0);
  });

  it('refuses while the collection still exists', async () => {
    await backedUp('rc_alive', 10, { pinNewest: 1, pinTtl: '30d' });
    const err = await refusal({ collection: 'rc_alive', as: 'rc_alive_copy' });
    expect(err.type).toBe(FailureType.CollectionStillExists);
    expect(err.message).toMatch(/collection default\.rc_alive exists/);
    expect(calls('RestoreExternalSnapshot')).toBe(0);
  });

  it('refuses when the pin lapsed and Milvus collected the snapshot', async () => {
    await backedUp('rc_lapsed', 10, { pinNewest: 1, pinTtl: '1s' });
    await new Promise((r) => setTimeout(r, 1_500)); // the pin lapses; the drop then takes the snapshot
    await stack().gateway.dropCollection({ db, collection: 'rc_lapsed' });
    const err = await refusal({ collection: 'rc_lapsed' });
    expect(err.type).toBe(FailureType.SnapshotCollected);
    expect(err.message).toMatch(/the pin on snapshot rc_lapsed_s1 expired at .*collected/);
  });
});
