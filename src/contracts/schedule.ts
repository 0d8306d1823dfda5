import { z } from 'zod';
import { durationString } from './input-fields';

/**
 * How an operator schedules a backup, retention or drill as a Temporal Schedule (visible and
 * editable in the Temporal UI). Exactly one of cron / every.
 */
const CRON_FIELDS = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4,6}\S+)$/;

export const scheduleOptionsSchema = z
  .object({
    scheduleId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'must be 1–200 letters, digits, _ . : or -')
      .optional()
      .describe('schedule id (default: derived from the operation and collection)'),
    cron: z
      .string()
      .regex(CRON_FIELDS, 'must be a cron expression with 5–7 fields or @daily/@hourly/…')
      .optional()
      .describe('cron expression, e.g. "0 2 * * *"'),
    every: durationString.optional().describe('fixed interval, e.g. "6h"'),
    timezone: z
      .string()
      .optional()
      .describe('IANA time zone the cron expression is read in (default UTC); cron only'),
    jitter: durationString.optional().describe('random delay added to each run'),
    paused: z.boolean().default(false),
    note: z.string().max(1000).optional(),
    overlap: z
      .enum(['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'])
      .default('skip')
      .describe('what to do when a run is still going at the next time'),
    catchupWindow: durationString.default('1h').describe('how late a missed run may still start'),
    pauseOnFailure: z.boolean().default(false),
  })
  .refine((s) => (s.cron === undefined) !== (s.every === undefined), {
    message: 'give exactly one of cron or every',
    path: ['cron'],
  })
  .refine((s) => s.timezone === undefined || isTimeZone(s.timezone), {
    message: 'must be an IANA time zone',
    path: ['timezone'],
  })
  // Temporal's interval specs match Epoch + n × every + offset (IntervalSpec, @temporalio/client
  // schedule-types): the spec's time zone only applies to calendar and cron specs, so a zone given
  // with `every` would be silently ignored.
  .refine((s) => s.every === undefined || s.timezone === undefined, {
    message:
      'applies to cron only: an interval (every) counts from the Unix epoch in UTC and Temporal ignores the zone; use cron with timezone, e.g. cron "0 */6 * * *"',
    path: ['timezone'],
  });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type ScheduleOptions = z.infer<typeof scheduleOptionsSchema>;
