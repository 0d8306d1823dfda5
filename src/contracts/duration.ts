import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';

/** A Temporal-style duration ("30s", "5m", "6h", "2 days") or milliseconds, checked at the edge. */
export const durationString = z.union([z.number().int().nonnegative(), z.string()]).refine(
  (value) => {
    try {
      return msToNumber(value as never) >= 0;
    } catch {
      return false;
    }
  },
  { message: 'must be a duration such as "30s", "5m", "6h" or "2 days", or milliseconds' },
);

export function durationMs(value: string | number): number {
  return msToNumber(value as never);
}

/**
 * A duration that replaced an older numeric field in another unit (`flushTimeoutSeconds` became
 * `flushTimeout`): schedules created before may still send the old one, so it stays accepted.
 */
export interface LegacyDuration {
  /** The duration field, e.g. 'flushTimeout'. */
  field: string;
  /** The old numeric field, e.g. 'flushTimeoutSeconds'. */
  legacy: string;
  /** Milliseconds per unit of the old field. */
  unitMs: number;
}

/** The old numeric field: accepted, documented as replaced. */
export function legacyDurationNumber(d: LegacyDuration) {
  return z
    .number()
    .nonnegative()
    .optional()
    .describe(`deprecated: ${d.field} as a number of ${d.unitMs === 1000 ? 'seconds' : 'milliseconds'}`);
}

/** Adds an issue for each pair given both ways. For a schema's superRefine. */
export function refuseBothDurations(
  input: Record<string, unknown>,
  ctx: z.RefinementCtx,
  pairs: readonly LegacyDuration[],
): void {
  for (const d of pairs) {
    if (input[d.field] !== undefined && input[d.legacy] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [d.legacy], message: `give ${d.field} or ${d.legacy}, not both` });
    }
  }
}

/** The duration in ms: the duration field, else the old field, else the default. */
export function resolveDurationMs(
  input: Record<string, unknown>,
  d: LegacyDuration,
  fallback: string,
): number {
  const value = input[d.field] as string | number | undefined;
  if (value !== undefined) return durationMs(value);
  const legacy = input[d.legacy] as number | undefined;
  if (legacy !== undefined) return legacy * d.unitMs;
  return durationMs(fallback);
}

/** For refinements: the resolved ms, or undefined when the field's own check already failed. */
export function resolvedDurationIfValid(
  input: Record<string, unknown>,
  d: LegacyDuration,
  fallback: string,
): number | undefined {
  try {
    return resolveDurationMs(input, d, fallback);
  } catch {
    return undefined;
  }
}
