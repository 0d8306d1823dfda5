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

/** For refinements: the duration in ms, or undefined when the field's own check already failed. */
export function durationMsIfValid(value: string | number): number | undefined {
  try {
    return durationMs(value);
  } catch {
    return undefined;
  }
}
