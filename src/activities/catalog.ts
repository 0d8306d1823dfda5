import { ApplicationFailure } from '@temporalio/common';
import {
  type CatalogChange,
  catalogChangeSignal,
  type CatalogPin,
  type CatalogState,
  catalogCluster,
  catalogWorkflowId,
  type ProtectionOutcome,
  type ProtectionPolicy,
} from '../contracts/catalog';
import {
  type CatalogCloseOutcome,
  type CatalogRef,
  closeCatalog,
  readCatalog,
} from '../catalog/catalog-access';
import type { CollectionRef, MilvusGateway, PinResult } from '../milvus/gateway';
import { currentActivityContext, heartbeat, previousHeartbeat } from './heartbeat';
import { entriesOfCluster } from '../catalog/entries';
import { durationMs } from '../contracts/input-fields';
import { isMilvusError } from '../milvus/errors';
import { planProtection } from '../catalog/plan-protection';
import type { WorkerResources } from './worker-resources';

/** The workflow type, by name: activities never import workflow code. */
const CATALOG_WORKFLOW = 'catalogWorkflow';

function context() {
  const ctx = currentActivityContext();
  if (!ctx) throw ApplicationFailure.nonRetryable('the catalog is reached from inside an activity only');
  return ctx;
}

/**
 * The catalog an activity's input reaches: its collection on its cluster, the cluster named in
 * the id only when it is not the worker's default (contracts/catalog.ts catalogCluster).
 */
export function catalogOf(
  input: CollectionRef & { cluster?: string },
  defaultCluster: string,
): CollectionRef & CatalogRef {
  const cluster = catalogCluster(input.cluster, defaultCluster);
  return { ...(cluster ? { cluster } : {}), db: input.db, collection: input.collection };
}

/**
 * Applies a change to the collection's catalog (`ref` from catalogOf), starting the catalog workflow when it is not
 * running (signalWithStart: one call, on the worker's own task queue). Once this returns the
 * change is in the catalog's history; a retry sends it again, which changes nothing.
 */
export async function sendCatalogChange(
  ref: CollectionRef & CatalogRef,
  change: CatalogChange,
): Promise<void> {
  const ctx = context();
  await ctx.client.workflow.signalWithStart(CATALOG_WORKFLOW, {
    workflowId: catalogWorkflowId(ref),
    taskQueue: ctx.info.taskQueue,
    args: [{ db: ref.db, collection: ref.collection }],
    signal: catalogChangeSignal,
    signalArgs: [change],
  });
}

/** The collection's catalog (`ref` from catalogOf); empty when no backup of it was ever recorded. */
export async function queryCatalog(ref: CatalogRef): Promise<CatalogState> {
  return readCatalog(context().client, ref);
}

/** Closes the collection's catalog without force (see catalog/catalog-access.ts); a refusal is not retried. */
export async function closeCollectionCatalog(ref: CatalogRef): Promise<CatalogCloseOutcome> {
  const ctx = context();
  try {
    return await closeCatalog(ctx.client, ref, {
      reason: `closed by ${ctx.info.workflowExecution?.workflowId}`,
    });
  } catch (err) {
    if (err instanceof ApplicationFailure) throw ApplicationFailure.nonRetryable(err.message, err.type);
    throw err;
  }
}

export interface RecordCatalogChangeInput extends CollectionRef {
  /** The cluster the change happened on (the worker's default when absent): its catalog gets it. */
  cluster?: string;
  change: CatalogChange;
}

/** Records into, reads and closes the catalog of a collection (a workflow per collection, see catalog.ts). */
function createRecordCatalogChangeActivities(defaultCluster: string) {
  return {
    async recordCatalogChange(input: RecordCatalogChangeInput): Promise<void> {
      await sendCatalogChange(catalogOf(input, defaultCluster), input.change);
    },
    /**
     * Marks snapshots retention dropped, for those the catalog holds on the cluster retention ran on
     * (a collection this worker never backed up gets no catalog from it).
     */
    async recordDroppedSnapshots(
      input: CollectionRef & { cluster?: string; snapshots: string[]; at: number },
    ): Promise<number> {
      const ref = catalogOf(input, defaultCluster);
      const entries = entriesOfCluster((await queryCatalog(ref)).entries, input.cluster, defaultCluster);
      const known = new Set(entries.map((e) => e.snapshot));
      const recorded = input.snapshots.filter((s) => known.has(s));
      for (const snapshot of recorded)
        await sendCatalogChange(ref, { kind: 'dropped', snapshot, at: input.at });
      return recorded.length;
    },
    async readCatalog(ref: CollectionRef & { cluster?: string }) {
      return queryCatalog(catalogOf(ref, defaultCluster));
    },
    /** Ends the catalog once it records nothing still needed (a drill's scratch catalog, at cleanup). */
    async closeCatalog(ref: CollectionRef & { cluster?: string }) {
      return closeCollectionCatalog(catalogOf(ref, defaultCluster));
    },
  };
}

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
 * so pins made by anyone else stay untouched. The catalog is this cluster's (catalogOf); only its
 * entries of this cluster count (belt and braces: the same name on another cluster has its own
 * catalog, snapshots and pins).
 */
function createProtectSnapshotsActivities(gateway: MilvusGateway, defaultCluster: string) {
  async function recordMade(
    ref: CollectionRef & CatalogRef,
    made: Checkpoint['made'][number],
  ): Promise<void> {
    const { snapshot, replaces, ...pin } = made;
    await sendCatalogChange(ref, { kind: 'pinned', snapshot, pin });
    if (replaces) await gateway.unpinSnapshot(replaces);
  }

  return {
    async protectSnapshots(input: ProtectSnapshotsInput): Promise<ProtectionOutcome> {
      const ref = catalogOf(input, defaultCluster);
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
          pin = await gateway.pinSnapshot({ db: ref.db, collection: ref.collection, snapshot }, ttlMs / 1000);
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

/** The catalog: recording into it, reading it, and the protection pins it tracks. */
export function createCatalogActivities(gateway: MilvusGateway, resources: WorkerResources) {
  return {
    ...createRecordCatalogChangeActivities(resources.clusters.defaultName),
    ...createProtectSnapshotsActivities(gateway, resources.clusters.defaultName),
  };
}
