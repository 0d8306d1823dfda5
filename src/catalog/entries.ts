import type { CatalogEntry, CatalogState } from '../contracts/catalog';

/** Reading a catalog's entries (pure): whose pin holds, which cluster's they are, the newest live one. */

/** The entry's pin holds at `now` (Milvus keeps the snapshot of a dropped collection while it does). */
export function pinHolds(entry: CatalogEntry, now: number): boolean {
  return !!entry.pin && (entry.pin.expiresAt === null || entry.pin.expiresAt > now);
}

/** The entry was pinned but its pin lapsed: after a drop, Milvus collects such a snapshot. */
export function pinLapsed(entry: CatalogEntry, now: number): boolean {
  return !!entry.pin && entry.pin.expiresAt !== null && entry.pin.expiresAt <= now;
}

/**
 * The catalog entries of one cluster (`cluster` absent: the default). Belt and braces: a catalog
 * is per db.collection and cluster (contracts/catalog.ts catalogWorkflowId), so it holds only its
 * own cluster's entries; the same name on another cluster has its own snapshots, pins and catalog.
 */
export function entriesOfCluster(
  entries: CatalogEntry[],
  cluster: string | undefined,
  defaultCluster: string,
): CatalogEntry[] {
  const here = cluster ?? defaultCluster;
  return entries.filter((e) => (e.cluster ?? defaultCluster) === here);
}

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
