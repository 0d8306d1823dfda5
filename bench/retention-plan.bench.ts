import { planRetention, type PlanSnapshot } from '../src/policy/plan-retention';
import { retentionPolicySchema, type RetentionPolicyInput } from '../src/policy/retention-policy';

/** 10,000 snapshots of one collection, one every 30 minutes (about 7 months), in shuffled order. */
function snapshots(count: number): PlanSnapshot[] {
  const t0 = Date.UTC(2026, 0, 1);
  const list = Array.from({ length: count }, (_, i) => ({
    name: `backup_${String(i).padStart(5, '0')}`,
    createTs: t0 + i * 30 * 60_000,
    managed: i % 10 !== 0,
  }));
  // Deterministic shuffle: the planner must not rely on listing order.
  let seed = 42;
  for (let i = list.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

function medianMs(iterations: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] * 100) / 100;
}

const GFS: RetentionPolicyInput = {
  keepLast: 5,
  keepHourly: 24,
  keepDaily: 7,
  keepWeekly: 4,
  keepMonthly: 12,
  keepYearly: 3,
};

/** Median milliseconds to plan 10,000 snapshots under several policies. */
export async function run(): Promise<Record<string, number>> {
  const snaps = snapshots(10_000);
  const cases: Record<string, RetentionPolicyInput> = {
    plan10k_gfs_utc_ms: GFS,
    plan10k_gfs_europe_berlin_ms: { ...GFS, timezone: 'Europe/Berlin' },
    plan10k_keep_within_30d_ms: { keepWithin: '30d' },
    plan10k_keep_last_100_scope_all_ms: { keepLast: 100, scope: 'all' },
  };
  const result: Record<string, number> = {};
  for (const [name, input] of Object.entries(cases)) {
    const policy = retentionPolicySchema.parse(input);
    planRetention(snaps, policy); // warm-up
    result[name] = medianMs(9, () => planRetention(snaps, policy, { inUseByRestore: ['backup_00042'] }));
  }
  // Size of what the plan activity returns into workflow history (Temporal refuses payloads > 2 MB).
  const plan = planRetention(snaps, retentionPolicySchema.parse(GFS));
  const compact = {
    kept: plan.entries.filter((e) => e.action === 'keep'),
    drop: plan.entries
      .filter((e) => e.action === 'drop')
      .map((e) => ({ name: e.name, createTs: e.createTs })),
  };
  result['plan10k_gfs_payload_kb'] = Math.round(Buffer.byteLength(JSON.stringify(compact)) / 1024);
  return result;
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
