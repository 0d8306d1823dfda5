import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';

/**
 * Fields the operations' inputs share: durations, the cluster an input runs against, a storage
 * profile. Names only, never a key.
 */

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
  return durationString.safeParse(value).success ? durationMs(value) : undefined;
}

/** Names of clusters and storage profiles, as in inputs and the worker's configuration. */
export const CONFIG_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
export const configName = z
  .string()
  .regex(CONFIG_NAME_PATTERN, 'must start with a letter; letters, digits, "_" or "-"; at most 63 characters');

/** The Milvus cluster an input runs against, by the name the worker's configuration gives it. */
export const clusterField = configName
  .optional()
  .describe("Milvus cluster by the worker's configured name (default: the worker's first cluster)");

/** The `cluster` field of an activity input: absent for the worker's default, so older inputs stay as they were. */
export function onCluster(cluster: string | undefined): { cluster?: string } {
  return cluster ? { cluster } : {};
}

/** A storage profile by name: the worker holds its target path and keys, inputs only the name. */
export const profileField = configName.describe(
  "storage profile by the worker's configured name (target_s3_path root and external_spec)",
);

/** Rows a verification's sample query reads back by primary key (restore, recover). */
export const sampleSizeField = z
  .number()
  .int()
  .min(1)
  .max(16_384)
  .default(10)
  .describe('rows the sample query must return (fewer when the collection holds fewer)');

/** Whether a run publishes its state and progress as search attributes (export, recover). */
export const searchAttributesField = z
  .boolean()
  .default(true)
  .describe('publish state and progress as search attributes (off: the memo carries them)');
