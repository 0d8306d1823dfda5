import { classifyStatus, classifyThrown, isSuccessStatus } from '../../src/milvus/classify-error';
import { MilvusError, type MilvusErrorKind } from '../../src/milvus/errors';
import { hybridTsToEpochMs, epochMsToHybridTs } from '../../src/milvus/sdk-gateway';

const ctx = { operation: 'describeSnapshot', db: 'default', collection: 'items', snapshot: 'daily_1' };

describe('isSuccessStatus', () => {
  it.each([
    [{ error_code: 'Success', code: 0 }, true],
    [{ error_code: 0, code: '0' }, true],
    [{ code: 0 }, true],
    [{ error_code: 'Success', code: 100 }, false],
    [{ error_code: 'UnexpectedError', code: 0 }, false],
    [{ error_code: 'CollectionNotExists' }, false],
  ])('%j → %s', (status, expected) => {
    expect(isSuccessStatus(status)).toBe(expected);
  });
});

describe('classifyStatus: Milvus merr codes', () => {
  const cases: [number, string, MilvusErrorKind, boolean][] = [
    [1, 'service not ready', 'NotReady', true],
    [2, 'service unavailable', 'Unavailable', true],
    [4, 'too many concurrent requests, queue is full', 'RateLimited', true],
    [8, 'rate limit exceeded[rate=0]', 'RateLimited', true],
    [100, 'collection not found[collection=items]', 'CollectionNotFound', false],
    [106, 'collection on recovering', 'NotReady', true],
    [800, 'database not found[database=x]', 'CollectionNotFound', false],
    [1100, 'bad value: invalid parameter', 'InvalidArgument', false],
    [1100, 'snapshot name daily_1 already exists: invalid parameter', 'AlreadyExists', false],
    [1400, 'not authenticated', 'Unauthenticated', false],
    [1401, 'privilege not permitted', 'PermissionDenied', false],
    [2600, 'collection 7: snapshot not found[snapshot=daily_1]', 'SnapshotNotFound', false],
    [2601, 'snapshot pinned, active pins exist[snapshot=daily_1]', 'SnapshotPinned', false],
    [1101, 'collection_name is required for drop snapshot: missing parameter', 'MissingParameter', false],
    [
      2101,
      'restore job not found: jobID=42: importing data failed on server side',
      'RestoreJobNotFound',
      false,
    ],
    [10001, 'context deadline exceeded', 'DeadlineExceeded', true],
    [65535, 'unexpected error', 'Unknown', false],
    [
      65535,
      'failed to restore collection: create duplicate collection with different parameters, collection: t',
      'AlreadyExists',
      false,
    ],
  ];
  it.each(cases)('code %d "%s" → %s (retryable %s)', (code, reason, kind, retryable) => {
    const err = classifyStatus({ error_code: 'UnexpectedError', code, reason, retriable: false }, ctx);
    expect(err).toBeInstanceOf(MilvusError);
    expect(err.kind).toBe(kind);
    expect(err.retryable).toBe(retryable);
    expect(err.code).toBe(code);
    expect(err.name).toBe(retryable ? 'RetryableMilvusError' : 'NonRetryableMilvusError');
  });

  it('keeps the reason verbatim and names operation, db, collection and snapshot', () => {
    const reason = 'collection 7: snapshot not found[snapshot=daily_1]';
    const err = classifyStatus({ code: 2600, reason }, ctx);
    expect(err.message).toContain(reason);
    expect(err.message).toContain('describeSnapshot');
    expect(err.message).toContain('db "default"');
    expect(err.message).toContain('collection "items"');
    expect(err.message).toContain('snapshot "daily_1"');
    expect(err.message).toContain('2600');
    expect(err).toMatchObject({
      operation: 'describeSnapshot',
      db: 'default',
      collection: 'items',
      snapshot: 'daily_1',
    });
  });

  it('recognises a snapshot-not-found reason under an unlisted code', () => {
    const err = classifyStatus({ code: 2999, reason: 'snapshot not found[snapshot=x]' }, ctx);
    expect(err.kind).toBe('SnapshotNotFound');
  });

  it('falls back to Milvus retriable flag for codes it does not list', () => {
    expect(classifyStatus({ code: 505, reason: 'channel tsafe stalled', retriable: true }, ctx).kind).toBe(
      'Unavailable',
    );
    expect(
      classifyStatus({ code: 2400, reason: 'function execution failed', retriable: false }, ctx).kind,
    ).toBe('Unknown');
  });

  it('does not turn "collection not found" into a snapshot error', () => {
    const err = classifyStatus({ code: 100, reason: 'failed to read snapshot: collection not found' }, ctx);
    expect(err.kind).toBe('CollectionNotFound');
  });
});

describe('classifyStatus: legacy error_code only', () => {
  it.each([
    ['CollectionNotExists', 'CollectionNotFound'],
    ['RateLimit', 'RateLimited'],
    ['NotReadyServe', 'NotReady'],
    ['PermissionDenied', 'PermissionDenied'],
    ['IllegalArgument', 'InvalidArgument'],
    ['UnexpectedError', 'Unknown'],
  ])('%s → %s', (errorCode, kind) => {
    const err = classifyStatus({ error_code: errorCode, code: 0, reason: 'r' }, ctx);
    expect(err.kind).toBe(kind);
    expect(err.code).toBeUndefined();
    expect(err.message).toContain(`error_code ${errorCode}`);
  });
});

describe('classifyThrown: gRPC status errors', () => {
  const grpcError = (code: number, details: string) =>
    Object.assign(new Error(`${code} X: ${details}`), { code, details });

  it.each([
    [14, 'No connection established', 'Unavailable', true],
    [4, 'Deadline exceeded after 1.0s', 'DeadlineExceeded', true],
    [8, 'quota', 'RateLimited', true],
    [1, 'Cancelled on client', 'Unavailable', true],
    [16, 'auth check failure, please check api key is correct', 'Unauthenticated', false],
    [7, 'denied', 'PermissionDenied', false],
    [3, 'bad', 'InvalidArgument', false],
    [6, 'exists', 'AlreadyExists', false],
    [13, 'internal', 'Unknown', false],
  ])('gRPC %d → %s', (code, details, kind, retryable) => {
    const err = classifyThrown(grpcError(code, details), ctx);
    expect(err.kind).toBe(kind);
    expect(err.retryable).toBe(retryable);
    expect(err.message).toContain(details);
    expect(err.message).toContain(`gRPC ${code}`);
  });

  it('passes a MilvusError through unchanged', () => {
    const original = new MilvusError('x', { kind: 'InvalidName', operation: 'op' });
    expect(classifyThrown(original, ctx)).toBe(original);
  });

  it('turns a plain Error into a non-retryable Unknown that keeps its message', () => {
    const err = classifyThrown(new Error('boom'), ctx);
    expect(err.kind).toBe('Unknown');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('boom');
  });
});

describe('hybrid timestamps', () => {
  it('takes the physical milliseconds (ts >> 18) of a Milvus TSO', () => {
    const ms = Date.UTC(2026, 10, 26, 3, 30, 0, 123);
    const tso = (BigInt(ms) << 18n) + 7n; // 7 logical ticks must not change the result
    expect(hybridTsToEpochMs(tso.toString())).toBe(ms);
    expect(hybridTsToEpochMs(epochMsToHybridTs(ms))).toBe(ms);
    expect(hybridTsToEpochMs('0')).toBe(0);
    expect(hybridTsToEpochMs(undefined)).toBe(0);
  });
});
