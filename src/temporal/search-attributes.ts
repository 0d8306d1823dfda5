import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes, so operators can find runs in the Temporal UI ("all drills of
 * collection X that failed") and drill history can be read back through Temporal.
 * The worker registers them at start-up when it may (see register-search-attributes.ts);
 * tests register them on the dev server.
 */
export const MILVUS_DB = defineSearchAttributeKey('MilvusDb', SearchAttributeType.KEYWORD);
export const MILVUS_COLLECTION = defineSearchAttributeKey('MilvusCollection', SearchAttributeType.KEYWORD);
export const MILVUS_SNAPSHOT = defineSearchAttributeKey('MilvusSnapshot', SearchAttributeType.KEYWORD);
/** backup | restore | retention | drill | export */
export const SNAPSHOT_OPERATION = defineSearchAttributeKey('SnapshotOperation', SearchAttributeType.KEYWORD);
/** Restore job state as the UI should show it: Pending, Executing, Completed, Failed. */
export const RESTORE_STATE = defineSearchAttributeKey('RestoreState', SearchAttributeType.KEYWORD);
export const RESTORE_PROGRESS = defineSearchAttributeKey('RestoreProgress', SearchAttributeType.INT);
/**
 * Export job state as the UI should show it: Pending, Executing, Completed, Failed. Its progress is
 * in the memo and the exportProgress query: the dev server allows only 3 Int attributes per namespace.
 */
export const EXPORT_STATE = defineSearchAttributeKey('ExportState', SearchAttributeType.KEYWORD);
/** pass | fail */
export const DRILL_RESULT = defineSearchAttributeKey('DrillResult', SearchAttributeType.KEYWORD);
export const DRILL_RTO_MS = defineSearchAttributeKey('DrillRtoMs', SearchAttributeType.INT);
export const DRILL_RPO_MS = defineSearchAttributeKey('DrillRpoMs', SearchAttributeType.INT);

export const ALL_SEARCH_ATTRIBUTES = [
  MILVUS_DB,
  MILVUS_COLLECTION,
  MILVUS_SNAPSHOT,
  SNAPSHOT_OPERATION,
  RESTORE_STATE,
  RESTORE_PROGRESS,
  EXPORT_STATE,
  DRILL_RESULT,
  DRILL_RTO_MS,
  DRILL_RPO_MS,
];
