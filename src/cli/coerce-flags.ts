import type { z } from 'zod';

/**
 * Gives command-line strings the types the input schema expects, so one generic CLI serves every
 * workflow and the zod schema stays the single source of truth (it still does all validation).
 */
type AnySchema = z.ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  element?: AnySchema;
  shape?: Record<string, AnySchema>;
}

function def(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional/default/pipe wrappers. */
export function baseSchema(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const d = def(current);
    if (WRAPPERS.has(d.type) && d.innerType) current = d.innerType;
    else if (d.type === 'pipe' && d.in) current = d.in;
    else return current;
  }
}

export function objectShape(schema: AnySchema): Record<string, AnySchema> {
  const base = baseSchema(schema);
  const shape = (base as unknown as { shape?: Record<string, AnySchema> }).shape;
  return shape ?? {};
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value; // leave it to zod to name the field and the rule
  }
}

function coerceValue(schema: AnySchema, value: unknown): unknown {
  const base = baseSchema(schema);
  const type = def(base).type;
  if (type === 'array') {
    const items = Array.isArray(value) ? value : [value];
    const element = def(base).element;
    return items
      .flatMap((item) =>
        typeof item === 'string' && item.startsWith('[') ? (parseJsonOr(item) as unknown[]) : [item],
      )
      .map((item) => (element ? coerceValue(element, item) : item));
  }
  if (type === 'object' && isPlainObject(value)) return coerceObject(base, value);
  if (type === 'record' || type === 'object') return coerceMap(base, value);
  if (typeof value !== 'string') return value;
  if (type === 'number' || type === 'int' || type === 'boolean' || type === 'bigint')
    return parseJsonOr(value);
  if (type === 'union') return parseJsonOr(value);
  return value;
}

/** `--label env=prod --label team=search` → { env: 'prod', team: 'search' }; JSON is accepted too. */
function coerceMap(schema: AnySchema, value: unknown): unknown {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 1 && typeof items[0] === 'string' && items[0].trim().startsWith('{')) {
    const parsed = parseJsonOr(items[0]);
    return def(schema).type === 'object' ? coerceObject(schema, parsed) : parsed;
  }
  if (!items.every((item) => typeof item === 'string' && item.includes('='))) return value;
  const entries = (items as string[]).map((item) => {
    const eq = item.indexOf('=');
    return [item.slice(0, eq), item.slice(eq + 1)] as const;
  });
  const map = Object.fromEntries(entries);
  return def(schema).type === 'object' ? coerceObject(schema, map) : map;
}

function coerceObject(schema: AnySchema, value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const shape = objectShape(schema);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    out[key] = shape[key] ? coerceValue(shape[key], raw) : raw;
  }
  return out;
}

/** Coerces each flag whose name is a field of the schema; unknown flags pass through for zod to judge. */
export function coerceFlags(schema: AnySchema, flags: Record<string, unknown>): Record<string, unknown> {
  return coerceObject(schema, flags) as Record<string, unknown>;
}
