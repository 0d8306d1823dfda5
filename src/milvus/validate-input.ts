import { z } from 'zod';
import { MilvusError, type MilvusErrorKind } from './errors';
import type { ErrorContext } from './classify-error';
import { collectionName, dbName, snapshotName } from './names';

/**
 * Input checks the gateway runs before any RPC, so bad input never reaches Milvus. Each failure
 * names the operation, the field and the rule.
 */

/** Milvus int64 ids (job ids, pin ids, segment ids, timestamps) travel as decimal strings. */
export const int64Id = z
  .string()
  .regex(/^\d{1,19}$/, 'must be a non-negative decimal integer string (Milvus int64)');
const nonNegativeInt = z.number().int('must be an integer').min(0, 'must be >= 0');
const positiveInt = z.number().int('must be an integer').min(1, 'must be >= 1');

function fail(ctx: ErrorContext, kind: MilvusErrorKind, field: string, value: unknown, rule: string): never {
  const shown = JSON.stringify(value)?.slice(0, 80) ?? String(value);
  throw new MilvusError(`${ctx.operation}: invalid ${field} ${shown}: ${rule}`, { kind, ...ctx });
}

function check<T>(
  ctx: ErrorContext,
  kind: MilvusErrorKind,
  field: string,
  schema: z.ZodType<T>,
  value: unknown,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  return fail(ctx, kind, field, value, result.error.issues[0]?.message ?? 'is invalid');
}

export const checkDb = (ctx: ErrorContext, value: unknown): string =>
  check(ctx, 'InvalidName', 'database name', dbName, value);
export const checkCollection = (ctx: ErrorContext, value: unknown, field = 'collection name') =>
  check(ctx, 'InvalidName', field, collectionName, value);
export const checkSnapshot = (ctx: ErrorContext, value: unknown): string =>
  check(ctx, 'InvalidName', 'snapshot name', snapshotName, value);
export const checkInt64Id = (ctx: ErrorContext, field: string, value: unknown): string =>
  check(ctx, 'InvalidArgument', field, int64Id, value);
export const checkNonNegativeInt = (ctx: ErrorContext, field: string, value: unknown): number =>
  check(ctx, 'InvalidArgument', field, nonNegativeInt, value);
export const checkPositiveInt = (ctx: ErrorContext, field: string, value: unknown): number =>
  check(ctx, 'InvalidArgument', field, positiveInt, value);
export const checkString = (ctx: ErrorContext, field: string, value: unknown): string =>
  check(ctx, 'InvalidArgument', field, z.string('must be a string'), value);
export const checkFieldNames = (ctx: ErrorContext, value: unknown): string[] =>
  check(
    ctx,
    'InvalidArgument',
    'output fields',
    z.array(z.string().min(1, 'must not contain empty names'), 'must be an array of field names'),
    value,
  );
