import { z } from 'zod';
import { isValidTimeZone, parseCalendarDuration } from './periods';

/** restic's counts: 0 = rule off, -1 = unlimited ("keep one per period, forever"). */
const keepCount = (what: string) =>
  z.number().int().min(-1, 'must be -1 (unlimited), 0 (off) or a positive count').default(0).describe(what);

/**
 * A retention policy with restic's semantics ("Removing snapshots according to a policy"): each
 * keep rule selects snapshots, a snapshot is kept when any rule selects it (rules are OR-ed), and
 * everything else among the candidates is dropped.
 */
export const retentionPolicySchema = z
  .object({
    keepLast: keepCount('keep the N most recent snapshots (-1 = all)'),
    keepHourly: keepCount(
      'for the last N hours that have snapshots, keep the newest of each hour (-1 = all)',
    ),
    keepDaily: keepCount('for the last N days that have snapshots, keep the newest of each day (-1 = all)'),
    keepWeekly: keepCount(
      'for the last N ISO weeks (Monday-Sunday) that have snapshots, keep the newest of each (-1 = all)',
    ),
    keepMonthly: keepCount('for the last N months that have snapshots, keep the newest of each (-1 = all)'),
    keepYearly: keepCount('for the last N years that have snapshots, keep the newest of each (-1 = all)'),
    keepWithin: z
      .string()
      .refine((s) => parseCalendarDuration(s) !== undefined, {
        message: 'must be a calendar duration such as "7d", "1m14d", "2y5m7d3h" (y, m = months, d, h)',
      })
      .optional()
      .describe('keep every snapshot within this duration of the NEWEST snapshot, e.g. "7d" or "1y2m"'),
    keepNames: z
      .array(z.string().min(1))
      .default([])
      .describe('keep snapshots whose name matches any of these patterns (* = any run, ? = one character)'),
    minKeep: z
      .number()
      .int()
      .min(0)
      .default(1)
      .describe('never keep fewer candidates than this (the newest are kept to make up the number)'),
    timezone: z
      .string()
      .default('UTC')
      .refine(isValidTimeZone, { message: 'must be an IANA time zone name such as "UTC" or "Europe/Berlin"' })
      .describe('time zone whose calendar defines hours, days, weeks, months and years'),
    scope: z
      .enum(['project', 'all'])
      .default('project')
      .describe("'project': only snapshots this project's backup made are candidates; 'all': every snapshot"),
  })
  .refine(hasKeepRule, {
    message:
      'policy has no keep rule (set keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin or keepNames); like restic, an empty policy is refused',
  });

export type RetentionPolicyInput = z.input<typeof retentionPolicySchema>;
export type RetentionPolicy = z.output<typeof retentionPolicySchema>;

function hasKeepRule(p: {
  keepLast: number;
  keepHourly: number;
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
  keepYearly: number;
  keepWithin?: string;
  keepNames: string[];
}): boolean {
  const counts = [p.keepLast, p.keepHourly, p.keepDaily, p.keepWeekly, p.keepMonthly, p.keepYearly];
  return counts.some((n) => n !== 0) || p.keepWithin !== undefined || p.keepNames.length > 0;
}
