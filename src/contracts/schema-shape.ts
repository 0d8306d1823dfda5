import type { z } from 'zod';

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
