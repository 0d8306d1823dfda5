import type { z } from 'zod';
import { closestName } from '../shared/closest-name';
import type { OperationDescriptor } from './operation';

/**
 * Bad input is refused before anything is started, created or dropped, with one message per
 * problem naming the field and the rule. The client and the CLI (exit code 2) share this.
 */
export class InputError extends Error {
  readonly issues: { field: string; rule: string }[];

  constructor(what: string, issues: { field: string; rule: string }[]) {
    super(`invalid ${what}: ${issues.map((i) => `${i.field}: ${i.rule}`).join('; ')}`);
    this.name = 'InputError';
    this.issues = issues;
  }
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(input)' : path.map(String).join('.');
}

export interface ParseInputOptions {
  /** 'ignore' only for workflow runs started before unknown keys were refused (see parseWorkflowInput). */
  unknownKeys?: 'reject' | 'ignore';
}

/** Validates against the schema and refuses keys it does not define (naming the nearest valid one). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  what: string,
  options: ParseInputOptions = {},
): z.output<S> {
  const unknown = options.unknownKeys === 'ignore' ? [] : unknownKeyIssues(schema, raw);
  const result = schema.safeParse(raw);
  if (result.success && unknown.length === 0) return result.data;
  const invalid = result.success
    ? []
    : result.error.issues.map((issue) => ({ field: fieldName(issue.path), rule: issue.message }));
  throw new InputError(what, [...unknown, ...invalid]);
}

/** An operation's input, parsed once the same way by the CLI and the client: `InputError` naming each bad field. */
export function parseOperationInput<S extends z.ZodType>(
  descriptor: OperationDescriptor<S, unknown>,
  raw: unknown,
): z.output<S> {
  return parseInput(descriptor.input, raw, `${descriptor.name} input`);
}

// --- reading a schema's structure

/**
 * Reading a zod schema's structure (zod 4 keeps it in `_zod.def`): the CLI builds flags and help
 * from it, and input parsing finds unknown keys with it. Pure: workflows use it too.
 */
export type AnySchema = z.ZodType;

export interface SchemaDef {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  element?: AnySchema;
  valueType?: AnySchema;
  catchall?: AnySchema;
  shape?: Record<string, AnySchema>;
  defaultValue?: unknown;
  entries?: Record<string, string>;
}

export function schemaDef(schema: AnySchema): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional/default/pipe wrappers. */
export function baseSchema(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const d = schemaDef(current);
    if (WRAPPERS.has(d.type) && d.innerType) current = d.innerType;
    else if (d.type === 'pipe' && d.in) current = d.in;
    else return current;
  }
}

/** An object schema's fields (empty for anything else). */
export function objectShape(schema: AnySchema): Record<string, AnySchema> {
  const base = baseSchema(schema);
  const shape = (base as unknown as { shape?: Record<string, AnySchema> }).shape;
  return shape ?? {};
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// --- unknown keys
export interface KeyIssue {
  field: string;
  rule: string;
}

/**
 * Keys of `raw` that its schema does not define, at any depth, each naming the nearest valid key:
 * zod would silently drop them, so a typo ("keepWithn") would change nothing and say nothing.
 * Own keys only, so `__proto__` or `constructor` in parsed JSON are plain unknown keys.
 */
export function unknownKeyIssues(schema: AnySchema, raw: unknown, path: string[] = []): KeyIssue[] {
  const base = baseSchema(schema);
  const def = schemaDef(base);
  if (def.type === 'array' && Array.isArray(raw) && def.element) {
    const element = def.element;
    return raw.flatMap((item, i) => unknownKeyIssues(element, item, [...path, String(i)]));
  }
  if (!isPlainObject(raw)) return [];
  if (def.type === 'record' && def.valueType) {
    const valueType = def.valueType;
    return Object.keys(raw).flatMap((key) => unknownKeyIssues(valueType, raw[key], [...path, key]));
  }
  if (def.type !== 'object') return [];
  const shape = objectShape(base);
  const strict = def.catchall === undefined || schemaDef(def.catchall).type === 'never';
  return Object.keys(raw).flatMap((key) => {
    if (Object.hasOwn(shape, key)) return unknownKeyIssues(shape[key], raw[key], [...path, key]);
    return strict ? [{ field: [...path, key].join('.'), rule: unknownKeyRule(key, Object.keys(shape)) }] : [];
  });
}

function unknownKeyRule(key: string, valid: string[]): string {
  const near = closestName(key, valid);
  return near ? `unknown key; did you mean '${near}'?` : `unknown key; valid keys: ${valid.join(', ')}`;
}
