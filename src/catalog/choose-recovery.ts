import type { CatalogEntry, CatalogState } from '../contracts/catalog';
import { FailureType } from '../contracts/failures';
import { pinHolds, pinLapsed } from './entries';

export type RecoveryChoice =
  { ok: true; entry: CatalogEntry } | { ok: false; type: FailureType; reason: string };

function at(ms: number): string {
  return new Date(ms).toISOString();
}

function refuse(type: FailureType, reason: string): RecoveryChoice {
  return { ok: false, type, reason };
}

/** Why one entry cannot be recovered from, or undefined when it can. */
function unrecoverable(entry: CatalogEntry, now: number): RecoveryChoice | undefined {
  const name = `snapshot ${entry.snapshot}`;
  if (entry.droppedAt !== undefined)
    return refuse(
      FailureType.SnapshotCollected,
      `${name} was dropped by retention at ${at(entry.droppedAt)}`,
    );
  if (pinLapsed(entry, now))
    return refuse(
      FailureType.SnapshotCollected,
      `the pin on ${name} expired at ${at(entry.pin!.expiresAt!)}, so Milvus collected it after the drop`,
    );
  if (!pinHolds(entry, now))
    return refuse(
      FailureType.NothingProtected,
      `${name} was not pinned, so DropCollection dropped it with the collection`,
    );
  return undefined;
}

/**
 * The catalog entry to recover a dropped collection from: the named one, or the newest whose
 * protection pin still holds. A refusal names why nothing can be recovered.
 */
export function chooseRecovery(catalog: CatalogState, now: number, snapshot?: string): RecoveryChoice {
  const where = `the catalog of ${catalog.db}.${catalog.collection}`;
  if (snapshot !== undefined) {
    const entry = catalog.entries.find((e) => e.snapshot === snapshot);
    if (!entry) return refuse(FailureType.CatalogEntryNotFound, `snapshot ${snapshot} is not in ${where}`);
    return unrecoverable(entry, now) ?? { ok: true, entry };
  }
  const protectedEntry = catalog.entries.find((e) => e.droppedAt === undefined && pinHolds(e, now));
  if (protectedEntry) return { ok: true, entry: protectedEntry };
  if (catalog.entries.length === 0)
    return refuse(FailureType.NothingProtected, `${where} is empty: no backup of it was ever recorded`);
  const lapsed = catalog.entries.find((e) => pinLapsed(e, now));
  if (lapsed) return unrecoverable(lapsed, now)!;
  return refuse(
    FailureType.NothingProtected,
    `nothing in ${where} is protected (${catalog.entries.length} snapshot(s), none pinned: back up with protect: { pinNewest: N } to survive a drop)`,
  );
}
