import type { CatalogState } from '../contracts/catalog';

/** The snapshot an export fleet exports for one collection, or why it has none. */
export type ExportCandidate = { snapshot: string } | { reason: string };

/**
 * The newest snapshot a backup verified (the catalog records only those) that retention has not
 * dropped since. Entries are newest first.
 */
export function newestLiveEntry(catalog: CatalogState): ExportCandidate {
  const where = `the catalog of ${catalog.db}.${catalog.collection}`;
  if (catalog.entries.length === 0) return { reason: `no verified backup in ${where}` };
  const entry = catalog.entries.find((e) => e.droppedAt === undefined);
  if (entry) return { snapshot: entry.snapshot };
  return {
    reason: `every verified snapshot in ${where} (${catalog.entries.length}) was dropped by retention`,
  };
}
