import { z } from 'zod';

/**
 * Milvus's naming rule for databases, collections and snapshots: a letter or underscore first,
 * then letters, digits and underscores, at most 255 characters. Checked before any call so bad
 * input never reaches the server (and nothing is created or dropped).
 */
export const MILVUS_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MILVUS_NAME_MAX_LENGTH = 255;

export const milvusName = z
  .string()
  .min(1, 'must not be empty')
  .max(MILVUS_NAME_MAX_LENGTH, `must be at most ${MILVUS_NAME_MAX_LENGTH} characters`)
  .regex(
    MILVUS_NAME_PATTERN,
    'must start with a letter or underscore and contain only letters, digits and underscores',
  );

export const collectionName = milvusName.describe('collection name');
export const snapshotName = milvusName.describe('snapshot name');
/** The database Milvus uses when none is named. */
export const DEFAULT_DB = 'default';
export const dbName = milvusName.default(DEFAULT_DB).describe('database name');
