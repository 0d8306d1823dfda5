import { planRetention, REASON, type PlanSnapshot } from '../../src/policy/plan-retention';
import { retentionPolicySchema, type RetentionPolicyInput } from '../../src/policy/retention-policy';
import { GFS_EVERY_MS, GFS_EXPECTED_KEPT, GFS_RULES, GFS_SNAPSHOT_COUNT, GFS_START_MS } from './gfs-scenario';
import { RESTIC_CASES, RESTIC_TIMES } from './restic-examples';

const utc = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);
const policy = (p: RetentionPolicyInput) => retentionPolicySchema.parse(p);

/** Snapshots named s000.. in restic's (unsorted) order; restic's tests treat every one as a candidate. */
const resticSnapshots: PlanSnapshot[] = RESTIC_TIMES.map((t, i) => ({
  name: `s${String(i).padStart(3, '0')}`,
  createTs: utc(t),
  managed: false,
}));

function keptAsRestic(snapshots: PlanSnapshot[], p: RetentionPolicyInput): string[] {
  const plan = planRetention(snapshots, policy({ ...p, scope: 'all', minKeep: 0 }));
  return plan.entries
    .filter((e) => e.action === 'keep')
    .map(
      (e) =>
        `${new Date(e.createTs)
          .toISOString()
          .replace('T', ' ')
          .replace(/(\.000)?Z$/, '')
          .replace(/(\.\d)00$/, '$1')}|${e.reasons.join(',')}`,
    )
    .sort();
}

describe('planRetention reproduces restic (TestApplyPolicy golden files)', () => {
  it.each(RESTIC_CASES.map((c) => [c.golden, JSON.stringify(c.policy), c] as const))(
    'policy_keep_snapshots_%i %s',
    (_n, _p, c) => {
      expect(keptAsRestic(resticSnapshots, c.policy)).toEqual([...c.keep].sort());
    },
  );

  it('drops everything no rule keeps, and says why', () => {
    const plan = planRetention(resticSnapshots, policy({ keepLast: 10, scope: 'all', minKeep: 0 }));
    expect(plan.keep).toBe(10);
    expect(plan.drop).toBe(93);
    expect(plan.entries.filter((e) => e.action === 'drop').every((e) => e.reasons[0] === REASON.drop)).toBe(
      true,
    );
  });
});

/** The documentation's example: weekday backups for two weeks, an extra Friday one, Wednesday missed. */
describe("restic docs example ('forget --keep-daily 5')", () => {
  const docs: PlanSnapshot[] = [
    ['60e5c031', '2025-04-21 11:00:00'],
    ['1dccffe9', '2025-04-22 11:00:00'],
    ['90a5c949', '2025-04-23 11:00:00'],
    ['79580708', '2025-04-24 11:00:00'],
    ['8a603ddf', '2025-04-25 11:00:00'],
    ['ae33bf10', '2025-04-25 23:00:00'],
    ['fb8b1418', '2025-04-28 11:00:00'],
    ['1db188b4', '2025-04-29 11:00:00'],
    ['7baa4f28', '2025-05-01 11:00:00'],
    ['05c48af3', '2025-05-02 11:00:00'],
    ['ad72e262', '2025-05-02 23:00:00'],
  ].map(([id, t]) => ({ name: `snap_${id}`, createTs: utc(t), managed: true }));

  it('keeps the newest of each of the last five days that have snapshots', () => {
    const plan = planRetention(docs, policy({ keepDaily: 5, minKeep: 0 }));
    const kept = plan.entries.filter((e) => e.action === 'keep').map((e) => e.name.slice(5));
    expect(kept).toEqual(['ad72e262', '7baa4f28', '1db188b4', 'fb8b1418', 'ae33bf10']);
    const dropped = plan.entries.filter((e) => e.action === 'drop').map((e) => e.name.slice(5));
    expect(dropped.sort()).toEqual(
      ['05c48af3', '1dccffe9', '60e5c031', '79580708', '8a603ddf', '90a5c949'].sort(),
    );
  });
});

describe('the documented 100-year example (--keep-daily 7 --keep-weekly 5 --keep-monthly 12 --keep-yearly 75)', () => {
  // 1924-2023, ending on Sunday 31 December: the 7 dailies hold one week's last day, as the docs assume.
  const start = utc('1924-01-01 03:00:00');
  const days = (utc('2023-12-31 03:00:00') - start) / 86_400_000 + 1;
  const daily: PlanSnapshot[] = Array.from({ length: days }, (_, i) => ({
    name: `d${i}`,
    createTs: start + i * 86_400_000,
    managed: true,
  }));
  const plan = planRetention(
    daily,
    policy({ keepDaily: 7, keepWeekly: 5, keepMonthly: 12, keepYearly: 75, minKeep: 0 }),
  );
  const count = (reason: string) => plan.entries.filter((e) => e.reasons.includes(reason)).length;
  /** Kept for `reason` and for none of the finer-grained rules. */
  const beyond = (reason: string, finer: string[]) =>
    plan.entries.filter((e) => e.reasons.includes(reason) && !finer.some((f) => e.reasons.includes(f)))
      .length;

  it('keeps 7 dailies, then 4 more weeklies, 11-12 more monthlies and 74-75 more yearlies', () => {
    const weekly = beyond('weekly snapshot', ['daily snapshot']);
    const monthly = beyond('monthly snapshot', ['daily snapshot', 'weekly snapshot']);
    const yearly = beyond('yearly snapshot', ['daily snapshot', 'weekly snapshot', 'monthly snapshot']);
    expect(count('daily snapshot')).toBe(7);
    expect(weekly).toBe(4);
    expect(monthly).toBeGreaterThanOrEqual(11);
    expect(monthly).toBeLessThanOrEqual(12);
    expect(yearly).toBeGreaterThanOrEqual(74);
    expect(yearly).toBeLessThanOrEqual(75);
    expect(plan.keep).toBe(7 + weekly + monthly + yearly);
  });

  it('keeps the last day of each kept week, month and year', () => {
    for (const e of plan.entries.filter(
      (x) => x.reasons.length === 1 && x.reasons[0] === 'yearly snapshot',
    )) {
      expect(new Date(e.createTs).toISOString().slice(5, 10)).toBe('12-31');
    }
    for (const e of plan.entries.filter((x) => x.reasons[0] === 'weekly snapshot')) {
      expect(new Date(e.createTs).getUTCDay()).toBe(0); // Sunday ends an ISO week
    }
  });
});

describe('GFS table (keepLast 2, hourly 3, daily 3, weekly 2, monthly 2, yearly 2)', () => {
  const snaps: PlanSnapshot[] = Array.from({ length: GFS_SNAPSHOT_COUNT }, (_, i) => ({
    name: `b_${i}`,
    createTs: GFS_START_MS + i * GFS_EVERY_MS,
    managed: true,
  }));
  const plan = planRetention(snaps, policy({ ...GFS_RULES, minKeep: 0 }));
  const kept = plan.entries
    .filter((e) => e.action === 'keep')
    .map((e) => [new Date(e.createTs).toISOString().slice(0, 13), e.reasons.join(', ')]);

  it.each(GFS_EXPECTED_KEPT)('keeps %s for: %s', (hour, reasons) => {
    expect(kept).toContainEqual([hour, reasons]);
  });

  it('keeps exactly those seven and drops the other 153', () => {
    expect(plan.keep).toBe(7);
    expect(plan.drop).toBe(153);
  });
});

describe('protections and scope', () => {
  const t0 = utc('2026-03-01 00:00:00');
  const mk = (name: string, hoursAfter: number, managed = true): PlanSnapshot => ({
    name,
    createTs: t0 + hoursAfter * 3_600_000,
    managed,
  });

  it('only snapshots this project made are candidates by default; others are kept and labelled', () => {
    const plan = planRetention(
      [mk('ours_1', 1), mk('ours_2', 2), mk('theirs', 0, false)],
      policy({ keepLast: 1 }),
    );
    expect(plan.entries.map((e) => [e.name, e.action, e.reasons])).toEqual([
      ['ours_2', 'keep', ['last snapshot', REASON.newestVerified]],
      ['ours_1', 'drop', [REASON.drop]],
      ['theirs', 'keep', [REASON.outOfScope]],
    ]);
  });

  it("scope 'all' makes every snapshot a candidate but still protects the newest verified one", () => {
    const plan = planRetention(
      [mk('ours_old', 1), mk('theirs_new', 5, false), mk('theirs_mid', 3, false)],
      policy({ keepLast: 1, scope: 'all' }),
    );
    expect(plan.entries.map((e) => [e.name, e.action])).toEqual([
      ['theirs_new', 'keep'],
      ['theirs_mid', 'drop'],
      ['ours_old', 'keep'],
    ]);
    expect(plan.entries[2].reasons).toEqual([REASON.newestVerified]);
  });

  it('snapshots sharing a create_ts (no flush between them) are ordered by name, the later name newest', () => {
    const plan = planRetention(
      [mk('docs_20260301_020000', 0), mk('docs_20260301_030000', 0), mk('docs_20260301_010000', 0)],
      policy({ keepLast: 1 }),
    );
    expect(plan.entries.map((e) => [e.name, e.action])).toEqual([
      ['docs_20260301_030000', 'keep'],
      ['docs_20260301_020000', 'drop'],
      ['docs_20260301_010000', 'drop'],
    ]);
  });

  it('a snapshot a restore job uses is never dropped', () => {
    const plan = planRetention([mk('a', 1), mk('b', 2), mk('c', 3)], policy({ keepLast: 1 }), {
      inUseByRestore: ['a'],
    });
    expect(plan.entries.find((e) => e.name === 'a')).toMatchObject({
      action: 'keep',
      reasons: [REASON.inUse],
    });
    expect(plan.entries.find((e) => e.name === 'b')?.action).toBe('drop');
  });

  it('minKeep tops up with the newest candidates', () => {
    const snaps = [mk('a', 1), mk('b', 2), mk('c', 3), mk('d', 4)];
    const plan = planRetention(snaps, policy({ keepNames: ['a'], minKeep: 3 }));
    expect(plan.entries.map((e) => [e.name, e.reasons])).toEqual([
      ['d', [REASON.newestVerified]],
      ['c', [REASON.minKeep]],
      ['b', [REASON.drop]],
      ['a', ['name matches "a"']],
    ]);
  });

  it('keeps by name pattern', () => {
    const snaps = [mk('release_v1', 1), mk('nightly_1', 2), mk('release_v2', 3), mk('nightly_2', 4)];
    const plan = planRetention(snaps, policy({ keepNames: ['release_*'], minKeep: 0 }));
    expect(plan.entries.filter((e) => e.action === 'drop').map((e) => e.name)).toEqual(['nightly_1']);
  });

  it('keepWithin ignores snapshots dated in the future when finding the newest', () => {
    const now = t0 + 10 * 3_600_000;
    const snaps = [mk('old', 0), mk('recent', 9), mk('future', 1000)];
    const plan = planRetention(snaps, policy({ keepWithin: '2h', minKeep: 0 }), { now });
    expect(plan.entries.map((e) => [e.name, e.action])).toEqual([
      ['future', 'keep'],
      ['recent', 'keep'],
      ['old', 'drop'],
    ]);
  });

  it('is independent of listing order', () => {
    const snaps = resticSnapshots.map((s) => ({ ...s, managed: true }));
    const p = policy({ keepDaily: 4, keepMonthly: 3 });
    expect(planRetention([...snaps].reverse(), p)).toEqual(planRetention(snaps, p));
  });

  it('handles no snapshots', () => {
    expect(planRetention([], policy({ keepLast: 3 }))).toEqual({ entries: [], keep: 0, drop: 0 });
  });
});

describe('time zones', () => {
  // 2026-03-10 23:30 UTC is 2026-03-11 00:30 in Berlin (CET, UTC+1): a different day there.
  const snaps: PlanSnapshot[] = [
    { name: 'a', createTs: utc('2026-03-10 22:00:00'), managed: true },
    { name: 'b', createTs: utc('2026-03-10 23:30:00'), managed: true },
  ];

  it('in UTC both are on the same day', () => {
    const plan = planRetention(snaps, policy({ keepDaily: 5, minKeep: 0 }));
    expect(plan.entries.map((e) => e.action)).toEqual(['keep', 'keep']); // b daily, a: oldest daily
    expect(plan.entries[1].reasons).toEqual(['oldest daily snapshot']);
  });

  it('in Europe/Berlin they are on different days', () => {
    const plan = planRetention(snaps, policy({ keepDaily: 5, minKeep: 0, timezone: 'Europe/Berlin' }));
    expect(plan.entries[1].reasons).toEqual(['daily snapshot']);
  });

  it('in Europe/Berlin a 1-day keepDaily keeps only the later day', () => {
    const plan = planRetention(snaps, policy({ keepDaily: 1, minKeep: 0, timezone: 'Europe/Berlin' }));
    expect(plan.entries.map((e) => e.action)).toEqual(['keep', 'drop']);
  });
});

describe('policy schema', () => {
  it('refuses an empty policy, like restic', () => {
    expect(retentionPolicySchema.safeParse({}).success).toBe(false);
  });

  it('refuses unknown time zones and bad durations', () => {
    expect(retentionPolicySchema.safeParse({ keepLast: 1, timezone: 'Mars/Olympus' }).success).toBe(false);
    expect(retentionPolicySchema.safeParse({ keepWithin: '7 days' }).success).toBe(false);
    expect(retentionPolicySchema.safeParse({ keepDaily: -2 }).success).toBe(false);
  });

  it('fills defaults: minKeep 1, UTC, project scope', () => {
    expect(retentionPolicySchema.parse({ keepDaily: 7 })).toMatchObject({
      minKeep: 1,
      timezone: 'UTC',
      scope: 'project',
      keepLast: 0,
      keepNames: [],
    });
  });
});
