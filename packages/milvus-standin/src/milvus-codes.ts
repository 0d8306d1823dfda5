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
 * - Snapshot errors: merr.WrapErrSnapshotPinned / WrapErrSnapshotNotFound (utils.go).
 *   SnapshotPinned = 2601 is asserted by tests/python_client/milvus_client/
 *   test_milvus_client_snapshot.py (drop during restore). The SnapshotNotFound sentinel's number
 *   was not found in the indexed sources; 2600 is inferred as the neighbouring code.
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
  IndexNotFound: 700,
  DatabaseNotFound: 800,
  ParameterInvalid: 1100,
  NotAuthenticated: 1400,
  /** Inferred, see the header. */
  SnapshotNotFound: 2600,
  SnapshotPinned: 2601,
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

export interface MilvusStatus {
  error_code: string;
  reason: string;
  code: number;
  retriable: boolean;
  detail: string;
}

export function okStatus(): MilvusStatus {
  return { error_code: 'Success', reason: '', code: 0, retriable: false, detail: '' };
}

export function errorStatus(code: number, reason: string, legacyCode?: string): MilvusStatus {
  return {
    error_code: legacyCode ?? legacyErrorCode(code),
    reason,
    code,
    retriable: RETRIABLE_CODES.has(code),
    detail: reason,
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
  invalidParameter: (message: string) => `${message}: invalid parameter`,
  snapshotNotFound: (snapshot: string, collectionId: string) =>
    `collection ${collectionId}: snapshot not found[snapshot=${snapshot}]`,
  snapshotPinned: (snapshot: string, activePins: number) =>
    `${activePins} active pins, unpin before dropping: snapshot pinned, active pins exist[snapshot=${snapshot}]`,
} as const;

/** gRPC-level refusals of the auth interceptor (status code UNAUTHENTICATED = 16). */
export const authRefusal = {
  missing: 'missing authorization in header',
  badFormat: 'invalid token format',
  badPassword: 'auth check failure, please check username and password are correct',
  badApiKey: 'auth check failure, please check api key is correct',
} as const;
