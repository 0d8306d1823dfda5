import { MilvusError, isMilvusError, type MilvusErrorKind } from './errors';
import { LEGACY_ERROR_CODES, MILVUS_CODES } from './milvus-codes';
import { errorText } from '../shared/text';

/** What the failing call was about; every message names these so an operator can act on it. */
export interface ErrorContext {
  operation: string;
  db?: string;
  collection?: string;
  snapshot?: string;
}

/** common.Status as the SDK decodes it: int64/enums may arrive as strings. */
export interface StatusLike {
  error_code?: string | number;
  code?: string | number;
  reason?: string;
  retriable?: boolean;
}

/** gRPC status codes (grpc/status.proto), with the kind each one means for a Milvus call. */
const GRPC_CODES: Readonly<Record<number, { name: string; kind: MilvusErrorKind }>> = {
  1: { name: 'CANCELLED', kind: 'Unavailable' },
  2: { name: 'UNKNOWN', kind: 'Unknown' },
  3: { name: 'INVALID_ARGUMENT', kind: 'InvalidArgument' },
  4: { name: 'DEADLINE_EXCEEDED', kind: 'DeadlineExceeded' },
  5: { name: 'NOT_FOUND', kind: 'Unknown' },
  6: { name: 'ALREADY_EXISTS', kind: 'AlreadyExists' },
  7: { name: 'PERMISSION_DENIED', kind: 'PermissionDenied' },
  8: { name: 'RESOURCE_EXHAUSTED', kind: 'RateLimited' },
  9: { name: 'FAILED_PRECONDITION', kind: 'InvalidArgument' },
  10: { name: 'ABORTED', kind: 'Unavailable' },
  11: { name: 'OUT_OF_RANGE', kind: 'InvalidArgument' },
  12: { name: 'UNIMPLEMENTED', kind: 'Unknown' },
  13: { name: 'INTERNAL', kind: 'Unknown' },
  14: { name: 'UNAVAILABLE', kind: 'Unavailable' },
  15: { name: 'DATA_LOSS', kind: 'Unknown' },
  16: { name: 'UNAUTHENTICATED', kind: 'Unauthenticated' },
};

/**
 * Milvus reuses generic codes for some specific conditions (e.g. "snapshot name x already exists"
 * is ErrParameterInvalid, an unknown restore job is ErrImportSysFailed), so a generic kind is
 * refined by Milvus's reason text.
 */
const REASON_REFINEMENTS: ReadonlyArray<{ pattern: RegExp; kind: MilvusErrorKind }> = [
  // 1100 "snapshot export job N not found" (snapshot_export_manager.go GetJobInfo): before the
  // snapshot rule, which would match it too.
  { pattern: /snapshot export job \d+ not found/i, kind: 'ExportJobNotFound' },
  { pattern: /server-side cross-bucket copy is unsupported/i, kind: 'UnsupportedStorage' },
  // RestoreExternalSnapshot of a metadata file that is gone (snapshot_manager.go wraps merr
  // ErrIoKeyNotFound 1000): the snapshot was dropped or collected.
  { pattern: /failed to read external snapshot data: key not found/i, kind: 'SnapshotNotFound' },
  { pattern: /snapshot\b[^\n]*\bnot (found|exist)/i, kind: 'SnapshotNotFound' },
  { pattern: /restore job\b[^\n]*\bnot found/i, kind: 'RestoreJobNotFound' },
  { pattern: /already exist/i, kind: 'AlreadyExists' },
  // RestoreSnapshot into an existing target: rootcoord create_collection_task.go's refusal (65535).
  { pattern: /duplicate collection/i, kind: 'AlreadyExists' },
];
const REFINABLE_KINDS: ReadonlySet<MilvusErrorKind> = new Set(['Unknown', 'InvalidArgument']);

function refineByReason(kind: MilvusErrorKind, reason: string): MilvusErrorKind {
  if (!REFINABLE_KINDS.has(kind)) return kind;
  return REASON_REFINEMENTS.find((r) => r.pattern.test(reason))?.kind ?? kind;
}

function numericCode(value: string | number | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** True when a status reports success under both the numeric code and the legacy error_code. */
export function isSuccessStatus(status: StatusLike): boolean {
  const legacy = status.error_code;
  const legacyOk = legacy === undefined || legacy === 0 || legacy === '0' || legacy === 'Success';
  return numericCode(status.code) === 0 && legacyOk;
}

function describeContext(ctx: ErrorContext): string {
  const parts = [
    ctx.db !== undefined ? `db "${ctx.db}"` : '',
    ctx.collection !== undefined ? `collection "${ctx.collection}"` : '',
    ctx.snapshot !== undefined ? `snapshot "${ctx.snapshot}"` : '',
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function buildError(
  ctx: ErrorContext,
  kind: MilvusErrorKind,
  reason: string,
  origin: string,
  code?: number,
): MilvusError {
  const message = `${ctx.operation} failed${describeContext(ctx)}: ${reason || '(no reason given)'} [${origin}]`;
  return new MilvusError(message, { kind, code, ...ctx });
}

function statusKind(code: number, status: StatusLike, reason: string): MilvusErrorKind {
  const known = code !== 0 ? MILVUS_CODES[code]?.kind : LEGACY_ERROR_CODES[String(status.error_code)];
  // Codes we do not list still carry Milvus's own verdict on whether a retry can help.
  const base = known ?? (status.retriable ? 'Unavailable' : 'Unknown');
  return refineByReason(base, reason);
}

/** Turns a non-success common.Status into a typed error, keeping Milvus's reason verbatim. */
export function classifyStatus(status: StatusLike, ctx: ErrorContext): MilvusError {
  const code = numericCode(status.code);
  const reason = status.reason ?? '';
  const kind = statusKind(code, status, reason);
  const origin =
    code !== 0
      ? `Milvus code ${code}${MILVUS_CODES[code] ? ` ${MILVUS_CODES[code].name}` : ''}`
      : `Milvus error_code ${String(status.error_code)}`;
  return buildError(ctx, kind, reason, origin, code !== 0 ? code : undefined);
}

interface GrpcErrorLike {
  code: number;
  details?: string;
  message?: string;
}

function isGrpcError(err: unknown): err is GrpcErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as GrpcErrorLike).code === 'number';
}

/** Turns anything a gateway call threw (gRPC ServiceError, SDK Error, ...) into a typed error. */
export function classifyThrown(err: unknown, ctx: ErrorContext): MilvusError {
  if (isMilvusError(err)) return err;
  if (isGrpcError(err)) {
    const grpc = GRPC_CODES[err.code];
    const reason = err.details ?? err.message ?? '';
    const kind = refineByReason(grpc?.kind ?? 'Unknown', reason);
    return buildError(ctx, kind, reason, `gRPC ${err.code} ${grpc?.name ?? 'UNKNOWN'}`, err.code);
  }
  const reason = errorText(err);
  return buildError(ctx, 'Unknown', reason, 'client error');
}
