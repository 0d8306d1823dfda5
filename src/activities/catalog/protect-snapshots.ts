import { durationMs } from '../../contracts/input-fields';
import type { CatalogPin, ProtectionOutcome, ProtectionPolicy } from '../../contracts/catalog';
import { isMilvusError } from '../../milvus/errors';
import type { CollectionRef, MilvusGateway, PinResult } from '../../milvus/gateway';
import { entriesOfCluster } from '../../catalog/entries-of-cluster';
import { planProtection } from '../../catalog/plan-protection';
import { heartbeat, previousHeartbeat } from '../heartbeat';
import { queryCatalog, sendCatalogChange } from './catalog-client';

export interface ProtectSnapshotsInput extends CollectionRef {
  /** The cluster this runs on (the worker's default when absent): only its snapshots are pinned. */
  cluster?: string;
  /** The policy to apply and record (a backup); absent: the one the catalog recorded (retention). */
  policy?: ProtectionPolicy;
}

/** Pins this attempt made, heartbeated before they are recorded: a retry records them instead of pinning twice. */
interface Checkpoint {
  made: ({ snapshot: string; replaces?: string } & CatalogPin)[];
}

/**
 * Keeps a pin of this worker on the `pinNewest` newest snapshots in the catalog: pins the new ones,
 * renews pins with less than half their TTL left (new pin, recorded, then the old one released),
 * releases the pins of snapshots that rotated out. Only pins recorded in the catalog are released,
 * so pins made by anyone else stay untouched. Only entries of this cluster count: a catalog is per
 * db.collection, and the same name on another cluster has its own snapshots and pins.
 */
export function createProtectSnapshotsActivities(gateway: MilvusGateway, defaultCluster: string) {
  async function recordMade(ref: CollectionRef, made: Checkpoint['made'][number]): Promise<void> {
    const { snapshot, replaces, ...pin } = made;
    await sendCatalogChange(ref, { kind: 'pinned', snapshot, pin });
    if (replaces) await gateway.unpinSnapshot(replaces);
  }

  return {
    async protectSnapshots(input: ProtectSnapshotsInput): Promise<ProtectionOutcome> {
      const ref: CollectionRef = { db: input.db, collection: input.collection };
      const outcome: ProtectionOutcome = { pinned: [], renewed: [], unpinned: [], skipped: [] };
      const checkpoint: Checkpoint = { made: [...(previousHeartbeat<Checkpoint>()?.made ?? [])] };
      for (const made of checkpoint.made) await recordMade(ref, made);

      if (input.policy) await sendCatalogChange(ref, { kind: 'protection', policy: input.policy });
      const catalog = await queryCatalog(ref);
      const policy = input.policy ?? catalog.protection;
      if (!policy) return outcome;
      outcome.policy = policy;
      const ttlMs = durationMs(policy.pinTtl);
      const plan = planProtection(
        entriesOfCluster(catalog.entries, input.cluster, defaultCluster),
        { pinNewest: policy.pinNewest, pinTtlMs: ttlMs },
        Date.now(),
      );

      for (const { snapshot, replaces } of plan.pin) {
        const pinnedAt = Date.now();
        let pin: PinResult;
        try {
          pin = await gateway.pinSnapshot({ ...ref, snapshot }, ttlMs / 1000);
        } catch (err) {
          if (!isMilvusError(err) || (err.kind !== 'SnapshotNotFound' && err.kind !== 'CollectionNotFound'))
            throw err;
          outcome.skipped.push({ snapshot, reason: err.message });
          if (err.kind === 'SnapshotNotFound')
            await sendCatalogChange(ref, { kind: 'dropped', snapshot, at: Date.now() });
          continue;
        }
        // The gateway takes the expiry before the call: it errs early, never late.
        const made = {
          snapshot,
          ...(replaces ? { replaces } : {}),
          id: pin.pinId,
          pinnedAt,
          expiresAt: pin.expiresAt,
        };
        checkpoint.made.push(made);
        heartbeat(checkpoint);
        await recordMade(ref, made);
        (replaces ? outcome.renewed : outcome.pinned).push(snapshot);
      }
      for (const { snapshot, pinId } of plan.unpin) {
        await gateway.unpinSnapshot(pinId); // an unknown (lapsed) pin id succeeds
        await sendCatalogChange(ref, { kind: 'unpinned', snapshot, pinId });
        outcome.unpinned.push(snapshot);
      }
      return outcome;
    },
  };
}
