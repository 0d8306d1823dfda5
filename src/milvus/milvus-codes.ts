import type { MilvusErrorKind } from './errors';

/**
 * Milvus's own error codes (common.Status.code), as defined by the `newMilvusError(msg, code,
 * retriable)` sentinels in milvus-io/milvus pkg/util/merr/errors.go (Milvus 3.0 line). Only codes
 * this project reacts to are listed; any other non-zero code falls back to Milvus's `retriable`
 * flag (see classify-error.ts). Pure data: the stand-in may import it, the gateway owns it.
 */
export interface MilvusCode {
  /** The merr sentinel name, for messages and reports. */
  name: string;
  kind: MilvusErrorKind;
}

export const MILVUS_CODES: Readonly<Record<number, MilvusCode>> = {
  1: { name: 'ErrServiceNotReady', kind: 'NotReady' },
  2: { name: 'ErrServiceUnavailable', kind: 'Unavailable' },
  4: { name: 'ErrServiceTooManyRequests', kind: 'RateLimited' },
  8: { name: 'ErrServiceRateLimit', kind: 'RateLimited' },
  12: { name: 'ErrServiceResourceInsufficient', kind: 'Unavailable' },
  100: { name: 'ErrCollectionNotFound', kind: 'CollectionNotFound' },
  103: { name: 'ErrCollectionNotFullyLoaded', kind: 'NotReady' },
  106: { name: 'ErrCollectionOnRecovering', kind: 'NotReady' },
  110: { name: 'ErrCollectionSchemaVersionNotReady', kind: 'NotReady' },
  // A missing database means the collection cannot be found either.
  800: { name: 'ErrDatabaseNotFound', kind: 'CollectionNotFound' },
  802: { name: 'ErrDatabaseInvalidName', kind: 'InvalidName' },
  1100: { name: 'ErrParameterInvalid', kind: 'InvalidArgument' },
  1101: { name: 'ErrParameterMissing', kind: 'MissingParameter' },
  1102: { name: 'ErrParameterTooLarge', kind: 'InvalidArgument' },
  1400: { name: 'ErrPrivilegeNotAuthenticated', kind: 'Unauthenticated' },
  1401: { name: 'ErrPrivilegeNotPermitted', kind: 'PermissionDenied' },
  1602: { name: 'ErrAliasAlreadyExist', kind: 'AlreadyExists' },
  1701: { name: 'ErrFieldInvalidName', kind: 'InvalidName' },
  1800: { name: 'ErrNeedAuthenticate', kind: 'Unauthenticated' },
  1807: { name: 'ErrHTTPRateLimit', kind: 'RateLimited' },
  // The restore state of an unknown job id comes back as this code (WrapErrImportSysFailedMsg).
  2101: { name: 'ErrImportSysFailed', kind: 'Unknown' },
  // Snapshot sentinels (merr WrapErrSnapshotNotFound / WrapErrSnapshotPinned in utils.go). 2601 is
  // asserted by Milvus's python snapshot tests; 2600 is inferred as its neighbour, which is why
  // classify-error.ts also recognises "snapshot not found" in the reason.
  2600: { name: 'ErrSnapshotNotFound', kind: 'SnapshotNotFound' },
  // Dropping a snapshot a restore or export still pins: it will not succeed by retrying soon.
  2601: { name: 'ErrSnapshotPinned', kind: 'SnapshotPinned' },
  10000: { name: 'CanceledCode', kind: 'Unavailable' },
  10001: { name: 'TimeoutCode', kind: 'DeadlineExceeded' },
};

/** Milvus answers an unloaded collection's query with this code; the gateway loads and retries. */
export const COLLECTION_NOT_LOADED_CODE = 101;

/**
 * The deprecated common.ErrorCode enum (Status.error_code), which the SDK decodes to its name.
 * Used only when a server sends no numeric `code` (older servers, some proxies).
 */
export const LEGACY_ERROR_CODES: Readonly<Record<string, MilvusErrorKind>> = {
  UnexpectedError: 'Unknown',
  ConnectFailed: 'Unavailable',
  PermissionDenied: 'PermissionDenied',
  CollectionNotExists: 'CollectionNotFound',
  CollectionNameNotFound: 'CollectionNotFound',
  IllegalArgument: 'InvalidArgument',
  IllegalCollectionName: 'InvalidName',
  RateLimit: 'RateLimited',
  ForceDeny: 'RateLimited',
  NotReadyServe: 'NotReady',
  NotReadyCoordActivating: 'NotReady',
  NotShardLeader: 'Unavailable',
  NoReplicaAvailable: 'Unavailable',
  DataCoordNA: 'Unavailable',
  TimeTickLongDelay: 'RateLimited',
};
