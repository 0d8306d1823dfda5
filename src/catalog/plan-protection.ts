import type { CatalogEntry } from '../contracts/catalog';
import { pinHolds } from './entries';

export interface ProtectionPlan {
  /** Pin these (newest first); `replaces` is this worker's older pin on it, unpinned after the new one is recorded. */
  pin: { snapshot: string; replaces?: string }[];
  /** Release these pins of this worker: their snapshots rotated out of the newest N. */
  unpin: { snapshot: string; pinId: string }[];
}

/**
 * Which pins to make, renew and release so that exactly the `pinNewest` newest live snapshots
 * carry a pin of this worker. A pin is renewed (a new pin, then the old one released: Milvus has
 * no call to extend one) once less than half its TTL remains, so a retention run at least every
 * TTL/2 keeps it from lapsing. Only pins recorded in the catalog are ever released.
 */
export function planProtection(
  entries: readonly CatalogEntry[],
  policy: { pinNewest: number; pinTtlMs: number },
  now: number,
): ProtectionPlan {
  const live = entries.filter((e) => e.droppedAt === undefined);
  const plan: ProtectionPlan = { pin: [], unpin: [] };
  live.forEach((entry, i) => {
    if (i >= policy.pinNewest) {
      if (entry.pin) plan.unpin.push({ snapshot: entry.snapshot, pinId: entry.pin.id });
      return;
    }
    if (pinHolds(entry, now) && !renewalDue(entry, policy.pinTtlMs, now)) return;
    plan.pin.push({ snapshot: entry.snapshot, ...(entry.pin ? { replaces: entry.pin.id } : {}) });
  });
  return plan;
}

function renewalDue(entry: CatalogEntry, ttlMs: number, now: number): boolean {
  const expiresAt = entry.pin?.expiresAt ?? null;
  if (expiresAt === null) return false; // until unpinned: nothing to renew
  if (ttlMs === 0) return true; // the policy now wants pins that never lapse
  return expiresAt - now < ttlMs / 2;
}
