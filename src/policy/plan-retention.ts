import { globMatcher } from './glob';
import {
  formatCalendarDuration,
  parseCalendarDuration,
  periodKey,
  type PeriodUnit,
  subtractCalendar,
  wallClock,
} from './periods';
import type { RetentionPolicy } from './retention-policy';

/** What the planner needs to know about one snapshot. */
export interface PlanSnapshot {
  name: string;
  /** Creation time, epoch milliseconds. */
  createTs: number;
  /** True when this project's backup made it (its description carries the marker). */
  managed: boolean;
}

export interface PlanContext {
  /** Snapshots a pending or running restore job reads from: never dropped. */
  inUseByRestore?: Iterable<string>;
  /**
   * The current time, epoch ms. Like restic, snapshots dated after it do not count as "the
   * newest" for keepWithin (a clock-skewed snapshot cannot make every other one look old).
   */
  now?: number;
}

export type PlanAction = 'keep' | 'drop';

export interface PlanEntry {
  name: string;
  createTs: number;
  action: PlanAction;
  /** Why it is kept (every rule that selected it), or why it is dropped. */
  reasons: string[];
}

export interface RetentionPlan {
  /** Every snapshot, newest first. */
  entries: PlanEntry[];
  keep: number;
  drop: number;
}

export const REASON = {
  drop: 'matches no keep rule',
  outOfScope: "not made by this project (scope 'project')",
  inUse: 'in use by a restore job',
  newestVerified: 'newest verified snapshot',
  minKeep: 'minKeep',
  pinned: 'pinned',
} as const;

interface Bucket {
  remaining: number;
  unit: PeriodUnit | 'last';
  reason: string;
  last: number | undefined;
}

function buckets(policy: RetentionPolicy): Bucket[] {
  const rules: [number, PeriodUnit | 'last', string][] = [
    [policy.keepLast, 'last', 'last snapshot'],
    [policy.keepHourly, 'hour', 'hourly snapshot'],
    [policy.keepDaily, 'day', 'daily snapshot'],
    [policy.keepWeekly, 'week', 'weekly snapshot'],
    [policy.keepMonthly, 'month', 'monthly snapshot'],
    [policy.keepYearly, 'year', 'yearly snapshot'],
  ];
  return rules
    .filter(([count]) => count !== 0)
    .map(([remaining, unit, reason]) => ({ remaining, unit, reason, last: undefined }));
}

/** The newest creation time not in the future (restic's findLatestTimestamp). */
function latestTime(sorted: readonly PlanSnapshot[], now: number | undefined): number {
  const eligible = sorted.find((s) => now === undefined || s.createTs <= now);
  return eligible?.createTs ?? Number.NEGATIVE_INFINITY;
}

/** restic's keep rules over the candidates (sorted newest first): the reasons each one is kept. */
function applyKeepRules(sorted: readonly PlanSnapshot[], policy: RetentionPolicy, now?: number): string[][] {
  const active = buckets(policy);
  const needsCalendar = active.some((b) => b.unit !== 'last');
  const matchName = globMatcher(policy.keepNames);
  const within = policy.keepWithin ? parseCalendarDuration(policy.keepWithin) : undefined;
  const withinAfter =
    within && sorted.length > 0
      ? subtractCalendar(latestTime(sorted, now), within, policy.timezone)
      : Number.POSITIVE_INFINITY;
  const withinReason = within ? `within ${formatCalendarDuration(within)}` : '';
  const oldest = sorted.length - 1;

  return sorted.map((snap, nr) => {
    const reasons: string[] = [];
    const pattern = matchName(snap.name);
    if (pattern !== undefined) reasons.push(`name matches "${pattern}"`);
    if (snap.createTs > withinAfter) reasons.push(withinReason);
    const wall = needsCalendar ? wallClock(snap.createTs, policy.timezone) : undefined;
    for (const b of active) {
      if (b.remaining === 0) continue;
      const period = b.unit === 'last' ? nr : periodKey(wall!, b.unit);
      // At the oldest snapshot a rule with counts left keeps it too, stretching the history kept.
      if (period === b.last && nr !== oldest) continue;
      reasons.push(period === b.last ? `oldest ${b.reason}` : b.reason);
      b.last = period;
      if (b.remaining > 0) b.remaining--;
    }
    return reasons;
  });
}

/**
 * The retention plan for one collection's snapshots: keep or drop, with the reasons, for every
 * snapshot. Pure: same snapshots, policy and context give the same plan.
 *
 * Candidates are the snapshots this project made (or all, with scope 'all'); the keep rules run
 * over the candidates only. On top of the rules, a snapshot in use by a restore job and the
 * newest snapshot this project made (verified by construction: the backup drops what fails
 * verification) are always kept, and at least `minKeep` candidates survive.
 */
export function planRetention(
  snapshots: readonly PlanSnapshot[],
  policy: RetentionPolicy,
  context: PlanContext = {},
): RetentionPlan {
  const all = [...snapshots].sort(newestFirst);
  const inScope = (s: PlanSnapshot) => policy.scope === 'all' || s.managed;
  const candidates = all.filter(inScope);
  const ruleReasons = applyKeepRules(candidates, policy, context.now);
  const inUse = new Set(context.inUseByRestore ?? []);
  const newestManaged = all.find((s) => s.managed)?.name;

  const reasonsByName = new Map<string, string[]>();
  candidates.forEach((snap, i) => {
    const reasons = ruleReasons[i];
    if (inUse.has(snap.name)) reasons.push(REASON.inUse);
    if (snap.name === newestManaged) reasons.push(REASON.newestVerified);
    reasonsByName.set(snap.name, reasons);
  });
  enforceMinKeep(candidates, reasonsByName, policy.minKeep);

  const entries = all.map((snap): PlanEntry => {
    const reasons = reasonsByName.get(snap.name);
    if (!reasons)
      return { name: snap.name, createTs: snap.createTs, action: 'keep', reasons: [REASON.outOfScope] };
    if (reasons.length > 0) return { name: snap.name, createTs: snap.createTs, action: 'keep', reasons };
    return { name: snap.name, createTs: snap.createTs, action: 'drop', reasons: [REASON.drop] };
  });
  const keep = entries.filter((e) => e.action === 'keep').length;
  return { entries, keep, drop: entries.length - keep };
}

/** Tops the kept candidates up to `minKeep` with the newest of those about to be dropped. */
function enforceMinKeep(
  candidates: readonly PlanSnapshot[],
  reasonsByName: Map<string, string[]>,
  minKeep: number,
): void {
  let kept = candidates.filter((s) => reasonsByName.get(s.name)!.length > 0).length;
  for (const snap of candidates) {
    if (kept >= minKeep) return;
    const reasons = reasonsByName.get(snap.name)!;
    if (reasons.length > 0) continue;
    reasons.push(REASON.minKeep);
    kept++;
  }
}

/**
 * Snapshot order, newest first, by create_ts. create_ts is the minimum channel checkpoint when the
 * snapshot was taken (internal/datacoord/handler.go GenSnapshot), so snapshots taken with no flush
 * between them share it; then the later name counts as newer (names from the name template sort by
 * when they were taken), and the order never depends on Milvus's listing order.
 */
export function newestFirst(
  a: { createTs: number; name: string },
  b: { createTs: number; name: string },
): number {
  return b.createTs - a.createTs || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0);
}
