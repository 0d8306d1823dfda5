/**
 * Typed Milvus errors. The gateway turns every Milvus status and gRPC error into one of these,
 * so activities can decide "retry" versus "fail now" without parsing messages.
 */

/** What went wrong, independent of how Milvus reported it. */
export type MilvusErrorKind =
  // retryable: the server or the network is having a bad moment
  | 'Unavailable'
  | 'RateLimited'
  | 'DeadlineExceeded'
  | 'NotReady'
  // non-retryable: the request itself cannot succeed as it stands
  | 'CollectionNotFound'
  | 'SnapshotNotFound'
  | 'RestoreJobNotFound'
  /** Milvus 1100 "snapshot export job N not found": unknown, or forgotten 3 h after it ended. */
  | 'ExportJobNotFound'
  /**
   * The bundle target or metadata URI is on another storage service than the cluster's own:
   * "server-side cross-bucket copy is unsupported for this provider/endpoint pair; …"
   * (snapshotio/storage/resolver.go validateProviderEndpointPair, Milvus 1100).
   */
  | 'UnsupportedStorage'
  | 'AlreadyExists'
  | 'InvalidName'
  | 'InvalidArgument'
  /** Milvus 1101: a required parameter is empty (e.g. a collection name). */
  | 'MissingParameter'
  /** Milvus 2601: the snapshot has active pins (PinSnapshotData, or a restore reading it). */
  | 'SnapshotPinned'
  /** The server is older than the snapshot RPCs need (checked with GetVersion before the first one). */
  | 'UnsupportedVersion'
  | 'PermissionDenied'
  | 'Unauthenticated'
  | 'Unknown';

const RETRYABLE_KINDS: ReadonlySet<MilvusErrorKind> = new Set([
  'Unavailable',
  'RateLimited',
  'DeadlineExceeded',
  'NotReady',
]);

export function isRetryableKind(kind: MilvusErrorKind): boolean {
  return RETRYABLE_KINDS.has(kind);
}

export interface MilvusErrorDetails {
  kind: MilvusErrorKind;
  /** Milvus's numeric error code (common.Status.code) or the gRPC status code, when known. */
  code?: number;
  /** The operation that failed, e.g. "createSnapshot". */
  operation: string;
  collection?: string;
  snapshot?: string;
  db?: string;
}

export class MilvusError extends Error {
  readonly kind: MilvusErrorKind;
  readonly code?: number;
  readonly operation: string;
  readonly collection?: string;
  readonly snapshot?: string;
  readonly db?: string;

  constructor(message: string, details: MilvusErrorDetails) {
    super(message);
    this.kind = details.kind;
    this.code = details.code;
    this.operation = details.operation;
    this.collection = details.collection;
    this.snapshot = details.snapshot;
    this.db = details.db;
    // The name is what Temporal reports as the failure type, so keep it stable and meaningful.
    this.name = isRetryableKind(details.kind) ? 'RetryableMilvusError' : 'NonRetryableMilvusError';
  }

  get retryable(): boolean {
    return isRetryableKind(this.kind);
  }
}

export function isMilvusError(err: unknown): err is MilvusError {
  return err instanceof MilvusError;
}
