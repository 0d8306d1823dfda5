import type { CatalogEntry, CatalogState } from '../../contracts/catalog';
import { renderTable } from '../../shared/text';
import { pinHolds } from '../../catalog/entries';

function protection(entry: CatalogEntry, now: number): string {
  if (!entry.pin) return '-';
  if (!pinHolds(entry, now)) return `lapsed ${new Date(entry.pin.expiresAt!).toISOString()}`;
  return entry.pin.expiresAt === null
    ? `pin ${entry.pin.id} (until unpinned)`
    : `pin ${entry.pin.id} until ${new Date(entry.pin.expiresAt).toISOString()}`;
}

/** `snapshots list`: the catalog as a table, newest first (answers after a DropCollection too). */
export function renderCatalog(catalog: CatalogState, now = Date.now()): string {
  const title = `catalog of ${catalog.db}.${catalog.collection}: ${catalog.entries.length} snapshot(s)`;
  const policy = catalog.protection
    ? `protection: pin the newest ${catalog.protection.pinNewest}, TTL ${catalog.protection.pinTtl}`
    : 'protection: none';
  if (catalog.entries.length === 0) return `${title}\n${policy}`;
  const rows = catalog.entries.map((e) => [
    e.snapshot,
    new Date(e.createTs).toISOString(),
    e.rowCount === null ? '?' : String(e.rowCount),
    protection(e, now),
    e.droppedAt === undefined ? '' : `dropped ${new Date(e.droppedAt).toISOString()}`,
    e.export ? `exported (${e.export.profile})` : '',
  ]);
  return [
    title,
    policy,
    renderTable(['SNAPSHOT', 'CREATED', 'ROWS', 'PROTECTION', 'STATE', 'OFF-SITE'], rows),
  ].join('\n');
}
