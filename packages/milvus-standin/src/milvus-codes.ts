/**
 * Milvus error codes (common.Status.code) and the legacy error_code each maps to, as the stand-in
 * reports them. Shared with the gateway (src/milvus/sdk-gateway.ts) so both sides agree.
 *
 * Sources in milvus-io/milvus (read, not copied):
 * - pkg/util/merr/errors.go: the sentinel codes (ServiceNotReady 1, ServiceUnavailable 2, RateLimit 8,
 *   CollectionNotFound 100, CollectionNotLoaded 101, IndexNotFound 700, DatabaseNotFound 800,
 *   ParameterInvalid 1100, NotAuthenticated 1400, OperationNotSupported 3000, unexpected 65535).
 * - pkg/util/merr/utils.go: Status() fills reason = err.Error(), code = merr code and the
 *   deprecated error_code via oldCode() (100 → CollectionNotExists, 1100 → IllegalArgument,
 *   8 → RateLimit, 700 → IndexNotExist, everything else → UnexpectedError); messages are
 *   "<sentinel msg>[key=value]" (wrapFields) or "<context>: <sentinel msg>" (Wrap/wrapMsg).
 * - Snapshot errors: merr.WrapErrSnapshotPinned / WrapErrSnapshotNotFound (utils.go, both
 *   wrapFields "<msg>[snapshot=name]"). SnapshotPinned = 2601 is asserted by tests/python_client/
 *   milvus_client/test_milvus_client_snapshot.py (drop during restore). The SnapshotNotFound
 *   sentinel's number is in a newer errors.go than the indexed one (which ends at 3000); 2600 is
 *   still inferred as the neighbouring code — unverified.
 * - pkg/util/merr/utils.go Status(): ParameterMissing 1101 and ParameterTooLarge 1102 map to the
 *   legacy IllegalArgument like 1100 (oldCode); an error whose type is InputError gets
 *   extra_info {is_input_error: "true"} and retriable=false.
 * - Auth (internal/proxy/authentication_interceptor.go): a refused token is a gRPC
 *   UNAUTHENTICATED status, not a Milvus status ("don't use the merr" comment there).
 */

export const MilvusCode = {
  Success: 0,
  ServiceNotReady: 1,
  ServiceUnavailable: 2,
  RateLimit: 8,
  CollectionNotFound: 100,
  CollectionNotLoaded: 101,
  PartitionNotFound: 200,
  IndexNotFound: 700,
  DatabaseNotFound: 800,
  ParameterInvalid: 1100,
  ParameterMissing: 1101,
  ParameterTooLarge: 1102,
  NotAuthenticated: 1400,
  /** merr ErrAliasNotFound / ErrAliasCollectionNameConfilct / ErrAliasAlreadyExist. */
  AliasNotFound: 1600,
  AliasCollectionNameConflict: 1601,
  AliasAlreadyExist: 1602,
  /** Inferred, see the header. */
  SnapshotNotFound: 2600,
  SnapshotPinned: 2601,
  /** merr ErrImportSysFailed ("importing data failed on server side"), used for unknown restore jobs. */
  ImportSysFailed: 2101,
  OperationNotSupported: 3000,
  Unexpected: 65535,
} as const;

export type MilvusCodeName = keyof typeof MilvusCode;

/** Legacy commonpb.ErrorCode names, as the SDK (enums: String) shows them in status.error_code. */
export function legacyErrorCode(code: number): string {
  switch (code) {
    case MilvusCode.Success:
      return 'Success';
    case MilvusCode.CollectionNotFound:
      return 'CollectionNotExists';
    case MilvusCode.ParameterInvalid:
    case MilvusCode.ParameterMissing:
    case MilvusCode.ParameterTooLarge:
      return 'IllegalArgument';
    case MilvusCode.RateLimit:
      return 'RateLimit';
    case MilvusCode.IndexNotFound:
      return 'IndexNotExist';
    default:
      return 'UnexpectedError';
  }
}

/** Codes Milvus marks retriable (merr newMilvusError(..., retriable=true)). */
const RETRIABLE_CODES: ReadonlySet<number> = new Set([
  MilvusCode.ServiceNotReady,
  MilvusCode.ServiceUnavailable,
  MilvusCode.RateLimit,
]);

/**
 * Sentinels merr declares with WithErrorType(InputError): the caller's request is wrong. Taken
 * from merr's errors.go sentinel declarations of the parameter, collection and database errors.
 */
const INPUT_ERROR_CODES: ReadonlySet<number> = new Set([
  MilvusCode.CollectionNotFound,
  MilvusCode.DatabaseNotFound,
  MilvusCode.ParameterInvalid,
  MilvusCode.ParameterMissing,
  MilvusCode.ParameterTooLarge,
]);

export interface MilvusStatus {
  error_code: string;
  reason: string;
  code: number;
  retriable: boolean;
  detail: string;
  extra_info: Record<string, string>;
}

export function okStatus(): MilvusStatus {
  return { error_code: 'Success', reason: '', code: 0, retriable: false, detail: '', extra_info: {} };
}

/** As merr.Status (pkg/util/merr/utils.go): input errors carry is_input_error and are never retriable. */
export function errorStatus(code: number, reason: string, legacyCode?: string): MilvusStatus {
  const input = INPUT_ERROR_CODES.has(code);
  return {
    error_code: legacyCode ?? legacyErrorCode(code),
    reason,
    code,
    retriable: !input && RETRIABLE_CODES.has(code),
    detail: reason,
    extra_info: input ? { is_input_error: 'true' } : {},
  };
}

/** Reason texts built the way merr composes them. */
export const reasons = {
  collectionNotFound: (collection: string) => `collection not found[collection=${collection}]`,
  /** rootcoord meta_table.go getCollectionByNameInternal: merr.WrapErrCollectionNotFoundWithDB. */
  collectionNotFoundInDb: (db: string, collection: string) =>
    `collection not found[database=${db}][collection=${collection}]`,
  /** proxy task.go describeCollectionTask.Execute rewrites not-found "for PyMilvus" (UnexpectedError). */
  describeCollectionNotFound: (db: string, collection: string) =>
    `can't find collection[database=${db}][collection=${collection}]`,
  /** querycoordv2 names the collection by id: merr.WrapErrCollectionNotLoaded(collectionID). */
  collectionNotLoaded: (collectionId: string) => `collection not loaded[collection=${collectionId}]`,
  indexNotFound: (collection: string) => `index not found[collection=${collection}]`,
  databaseNotFound: (db: string) => `database not found[database=${db}]`,
  partitionNotFound: (partition: string) => `partition not found[partition=${partition}]`,
  invalidParameter: (message: string) => `${message}: invalid parameter`,
  missingParameter: (message: string) => `${message}: missing parameter`,
  snapshotNotFound: (snapshot: string, collectionId: string) =>
    `collection ${collectionId}: snapshot not found[snapshot=${snapshot}]`,
  snapshotPinned: (snapshot: string, activePins: number) =>
    `${activePins} active pins, unpin before dropping: snapshot pinned, active pins exist[snapshot=${snapshot}]`,
  /** snapshot_manager.go GetRestoreState: merr.WrapErrImportSysFailedMsg("restore job not found: jobID=%d"). */
  /** rootcoord create_collection_task.go validateIfCollectionExists (fmt.Errorf: code 65535). */
  nameTakenByAlias: (name: string) =>
    `collection name [${name}] conflicts with an existing alias, please choose a unique name`,
  /** rootcoord create_collection_task.go validateIfCollectionExists (fmt.Errorf: code 65535). */
  duplicateCollection: (name: string) =>
    `create duplicate collection with different parameters, collection: ${name}`,
  restoreJobNotFound: (jobId: string) =>
    `restore job not found: jobID=${jobId}: importing data failed on server side`,
} as const;

/** gRPC-level refusals of the auth interceptor (status code UNAUTHENTICATED = 16). */
export const authRefusal = {
  missing: 'missing authorization in header',
  badFormat: 'invalid token format',
  badPassword: 'auth check failure, please check username and password are correct',
  badApiKey: 'auth check failure, please check api key is correct',
} as const;
