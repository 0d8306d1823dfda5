import type { CatalogEntry } from '../contracts/catalog';

/** The entry's pin holds at `now` (Milvus keeps the snapshot of a dropped collection while it does). */
export function pinHolds(entry: CatalogEntry, now: number): boolean {
  return !!entry.pin && (entry.pin.expiresAt === null || entry.pin.expiresAt > now);
}

/** The entry was pinned but its pin lapsed: after a drop, Milvus collects such a snapshot. */
export function pinLapsed(entry: CatalogEntry, now: number): boolean {
  return !!entry.pin && entry.pin.expiresAt !== null && entry.pin.expiresAt <= now;
}
