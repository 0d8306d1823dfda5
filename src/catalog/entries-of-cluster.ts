import type { CatalogEntry } from '../contracts/catalog';

/**
 * The catalog entries of one cluster (`cluster` absent: the default). A catalog is per
 * db.collection, and the same name on another cluster has its own snapshots and pins.
 */
export function entriesOfCluster(
  entries: CatalogEntry[],
  cluster: string | undefined,
  defaultCluster: string,
): CatalogEntry[] {
  const here = cluster ?? defaultCluster;
  return entries.filter((e) => (e.cluster ?? defaultCluster) === here);
}
