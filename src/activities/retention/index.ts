import { isMilvusError } from '../../milvus/errors';
import type { CollectionRef, MilvusGateway, SnapshotInfo, SnapshotRef } from '../../milvus/gateway';
import { isRestoreJobRunning } from '../../milvus/jobs';
import { globToRegExp } from '../../policy/glob';
import { planRetention, type PlanSnapshot } from '../../policy/plan-retention';
import type { RetentionPolicy } from '../../policy/retention-policy';
import type { KeptSnapshot } from '../../contracts/retention';
import { parseSnapshotMarker } from '../../contracts/snapshot-marker';
import { heartbeat } from '../heartbeat';

/** The cluster an activity runs on (`input.cluster`, routed by worker-resources.ts onClusterOfInput; absent: the default). */
interface OnCluster {
  cluster?: string;
}

export interface PlanCollectionInput extends CollectionRef, OnCluster {
  policy: RetentionPolicy;
  /** Workflow time, epoch ms: snapshots dated later do not count as the newest. */
  now: number;
  describeConcurrency: number;
}

/**
 * The plan in the compact form that travels through workflow history: dropped snapshots all
 * share one reason, so only their names and times are carried.
 */
export interface CollectionPlan {
  snapshots: number;
  kept: KeptSnapshot[];
  drop: { name: string; createTs: number }[];
}

export type RetentionDropOutcome =
  | { outcome: 'dropped' | 'already-gone' }
  /** Milvus refused: the snapshot has active pins (PinSnapshotData, or a restore reading it). */
  | { outcome: 'pinned'; message: string };

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of results. */
async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export function createRetentionActivities(gateway: MilvusGateway) {
  /** Names of snapshots a pending or executing restore job reads (any collection: jobs name only the target). */
  async function snapshotsInUseByRestore(): Promise<string[]> {
    const jobs = await gateway.listRestoreJobs();
    return [...new Set(jobs.filter((j) => isRestoreJobRunning(j.state)).map((j) => j.snapshot))].sort();
  }

  /** Describes every snapshot, skipping those dropped since the listing. */
  async function describeAll(
    ref: CollectionRef,
    names: string[],
    concurrency: number,
  ): Promise<SnapshotInfo[]> {
    let done = 0;
    const infos = await mapConcurrent(names, concurrency, async (snapshot) => {
      try {
        return await gateway.describeSnapshot({ ...ref, snapshot });
      } catch (err) {
        if (isMilvusError(err) && err.kind === 'SnapshotNotFound') return undefined;
        throw err;
      } finally {
        if (++done % 200 === 0) heartbeat({ described: done, of: names.length });
      }
    });
    return infos.filter((i): i is SnapshotInfo => i !== undefined);
  }

  return {
    /** Lists and describes the collection's snapshots and plans retention for them. */
    async planCollectionRetention(input: PlanCollectionInput): Promise<CollectionPlan> {
      const ref = { db: input.db, collection: input.collection };
      const names = await gateway.listSnapshots(ref);
      const infos = await describeAll(ref, names, input.describeConcurrency);
      const inUse = await snapshotsInUseByRestore();
      const snapshots: PlanSnapshot[] = infos.map((i) => ({
        name: i.name,
        createTs: i.createTs,
        managed: parseSnapshotMarker(i.description) !== undefined,
      }));
      const plan = planRetention(snapshots, input.policy, { inUseByRestore: inUse, now: input.now });
      const kept: KeptSnapshot[] = [];
      const drop: CollectionPlan['drop'] = [];
      for (const e of plan.entries) {
        if (e.action === 'keep') kept.push({ name: e.name, createTs: e.createTs, reasons: e.reasons });
        else drop.push({ name: e.name, createTs: e.createTs });
      }
      return { snapshots: plan.entries.length, kept, drop };
    },

    /** Snapshots pending or executing restore jobs read: re-checked before every batch of drops. */
    async listSnapshotsInUseByRestore(_on?: OnCluster): Promise<string[]> {
      return snapshotsInUseByRestore();
    },

    /** The database's collections whose names match the pattern, sorted. */
    async listRetentionCollections(input: OnCluster & { db: string; pattern: string }): Promise<string[]> {
      const re = globToRegExp(input.pattern);
      return (await gateway.listCollections(input.db)).filter((c) => re.test(c)).sort();
    },

    /**
     * Drops one snapshot, idempotently: already gone counts as done. A refusal because the
     * snapshot is pinned (2601, kind SnapshotPinned) is an answer, not a failure: retention reports
     * it kept.
     */
    async dropSnapshotForRetention(input: SnapshotRef & OnCluster): Promise<RetentionDropOutcome> {
      try {
        await gateway.dropSnapshot({ db: input.db, collection: input.collection, snapshot: input.snapshot });
        return { outcome: 'dropped' };
      } catch (err) {
        if (!isMilvusError(err)) throw err;
        if (err.kind === 'SnapshotNotFound') return { outcome: 'already-gone' };
        if (err.kind === 'SnapshotPinned') return { outcome: 'pinned', message: err.message };
        throw err;
      }
    },
  };
}
