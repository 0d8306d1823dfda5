/**
 * One GFS scenario, checked twice: by the pure planner (test/policy) and end to end by the
 * retention workflow against the stand-in (test/workflows). A backup every 6 hours for 40 days.
 */
export const GFS_START_MS = Date.UTC(2026, 0, 1);
export const GFS_EVERY_MS = 6 * 3_600_000;
export const GFS_SNAPSHOT_COUNT = 160;

export const GFS_RULES = {
  keepLast: 2,
  keepHourly: 3,
  keepDaily: 3,
  keepWeekly: 2,
  keepMonthly: 2,
  keepYearly: 2,
} as const;

/** [UTC hour of the kept snapshot, its reasons], newest first. */
export const GFS_EXPECTED_KEPT: [string, string][] = [
  [
    '2026-02-09T18',
    'last snapshot, hourly snapshot, daily snapshot, weekly snapshot, monthly snapshot, yearly snapshot, newest verified snapshot',
  ],
  ['2026-02-09T12', 'last snapshot, hourly snapshot'],
  ['2026-02-09T06', 'hourly snapshot'],
  ['2026-02-08T18', 'daily snapshot, weekly snapshot'],
  ['2026-02-07T18', 'daily snapshot'],
  ['2026-01-31T18', 'monthly snapshot'],
  // Only one year has snapshots: the yearly rule has a count left and keeps the oldest one.
  ['2026-01-01T00', 'oldest yearly snapshot'],
];
