import { z } from 'zod';

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
