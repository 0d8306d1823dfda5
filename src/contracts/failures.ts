/**
 * Every failure type this worker raises itself, defined once. A workflow's failure carries one of
 * these or, when Milvus refused, Milvus's error kind unchanged (MilvusErrorKind, milvus/errors.ts).
 * Clients and the CLI match on these strings; they are part of the contract, so never reuse one
 * for a second meaning.
 */
export const FailureType = {
  /** Any workflow: the input breaks its schema (the message names the field and the rule). */
  InvalidInput: 'InvalidInput',

  /** Any workflow: the input names a Milvus cluster the worker is not configured with. */
  UnknownCluster: 'UnknownCluster',
  /** Export and external restore: the input names a storage profile the worker does not have. */
  UnknownProfile: 'UnknownProfile',

  /** Export: Milvus reports the export job Failed (its reason verbatim); nothing is recorded. */
  ExportJobFailed: 'ExportJobFailed',
  /** Export: Milvus forgot the job (3 h after it ended) before it was seen finished. */
  ExportJobForgotten: 'ExportJobForgotten',
  /** Export: the workflow's own deadline (`timeout`) passed. */
  ExportTimedOut: 'ExportTimedOut',

  /** Backup: the flush did not complete within flushTimeoutSeconds. */
  FlushTimeout: 'FlushTimeout',
  /** Backup: a snapshot of that name exists and ifExists is 'fail'. */
  SnapshotAlreadyExists: 'SnapshotAlreadyExists',
  /** Backup: the new snapshot failed verification (and was dropped again). */
  SnapshotVerificationFailed: 'SnapshotVerificationFailed',
  /** Backup: dropping the snapshot after a failure failed too. */
  CompensationFailed: 'CompensationFailed',
  /** Backup's verifyRowsByRestore: the scratch restore job failed. */
  ScratchRestoreFailed: 'ScratchRestoreFailed',
  /** Backup's verifyRowsByRestore: the scratch restore job did not finish in time. */
  ScratchRestoreTimedOut: 'ScratchRestoreTimedOut',

  /** Restore: the target collection exists already. */
  TargetCollectionExists: 'TargetCollectionExists',
  /** Restore: another restore job is writing into the target. */
  TargetRestoreInProgress: 'TargetRestoreInProgress',
  /** Restore: Milvus reports the restore job Failed (its reason verbatim). */
  RestoreJobFailed: 'RestoreJobFailed',
  /** Restore: the restored collection failed verification. */
  RestoreVerificationFailed: 'RestoreVerificationFailed',
  /** Restore: the workflow's own deadline (`timeout`) passed. */
  RestoreTimedOut: 'RestoreTimedOut',
  /** Restore: an activity failed after its retries (message names the phase). */
  RestoreFailed: 'RestoreFailed',

  /** Retention: another retention run holds the collection. */
  RetentionBusy: 'RetentionBusy',
  /** Retention: planning or dropping failed. */
  RetentionFailed: 'RetentionFailed',

  /** Recover: the collection (or the `as` target) exists; recovery only recreates a dropped one. */
  CollectionStillExists: 'CollectionStillExists',
  /** Recover: the catalog holds no snapshot whose protection pin still holds. */
  NothingProtected: 'NothingProtected',
  /** Recover: the named snapshot is not in the catalog. */
  CatalogEntryNotFound: 'CatalogEntryNotFound',
  /** Recover: the pin lapsed and Milvus collected the snapshot of the dropped collection. */
  SnapshotCollected: 'SnapshotCollected',
  /** Recover: the input names another cluster than the one the catalog entry's backup ran on. */
  ClusterMismatch: 'ClusterMismatch',
  /** Recover: the recovered collection's rows differ from the catalog's (or the sample failed). */
  RecoverVerificationFailed: 'RecoverVerificationFailed',

  /** Catalog close: pins still hold or bundles are recorded, and the close was not forced. */
  CatalogStillProtects: 'CatalogStillProtects',

  /** Drill: source 'bundle' and the catalog holds no exported bundle of the collection. */
  NoExportedBundle: 'NoExportedBundle',
  /** Drill: source 'latest' and no verified snapshot exists. */
  NoVerifiedSnapshot: 'NoVerifiedSnapshot',
  /** Drill cleanup: asked to drop something that is not a drill scratch collection. */
  NotAScratchCollection: 'NotAScratchCollection',
  /** Drill cleanup (retryable): restore jobs still write into the scratch collection. */
  RestoreJobsStillRunning: 'RestoreJobsStillRunning',
  /** Drill cleanup (retryable): the scratch collection came back after the drop. */
  ScratchStillExists: 'ScratchStillExists',

  /** Fleet summary: a collection's drill completed with outcome 'fail' (its reasons as the message). */
  DrillFailed: 'DrillFailed',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];
