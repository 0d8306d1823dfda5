import { newestLiveEntry } from '../../src/catalog/entries';
import type { CatalogEntry, CatalogState } from '../../src/contracts/catalog';

function entry(snapshot: string, createTs: number, droppedAt?: number): CatalogEntry {
  return {
    db: 'default',
    collection: 'docs',
    snapshot,
    createTs,
    rowCount: 10,
    metadataUri: `snapshots/${snapshot}.json`,
    verifiedAt: createTs + 1000,
    recordedBy: { workflowId: `backup:default.docs:${snapshot}`, runId: 'r' },
    ...(droppedAt === undefined ? {} : { droppedAt }),
  };
}

function catalog(entries: CatalogEntry[]): CatalogState {
  return { db: 'default', collection: 'docs', entries, changes: entries.length };
}

describe("newestLiveEntry: an export fleet's snapshot per collection", () => {
  it('takes the newest entry retention has not dropped', () => {
    const entries = [entry('docs_3', 3000, 5000), entry('docs_2', 2000), entry('docs_1', 1000)];
    expect(newestLiveEntry(catalog(entries))).toEqual({ snapshot: 'docs_2' });
  });

  it('names why there is none: an empty catalog, or every entry dropped', () => {
    expect(newestLiveEntry(catalog([]))).toEqual({
      reason: 'no verified backup in the catalog of default.docs',
    });
    expect(newestLiveEntry(catalog([entry('docs_2', 2000, 4000), entry('docs_1', 1000, 4000)]))).toEqual({
      reason: 'every verified snapshot in the catalog of default.docs (2) was dropped by retention',
    });
  });
});
