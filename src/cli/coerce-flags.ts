import {
  type AnySchema,
  baseSchema,
  InputError,
  isPlainObject,
  objectShape,
  schemaDef,
} from '../contracts/parse-input';
import { JsonSyntaxError, parseJson } from '../shared/parse-json';

/**
 * Gives command-line strings the types the input schema expects, so one generic CLI serves every
 * workflow and the zod schema stays the single source of truth (it still does all validation).
 */

/** JSON the user meant as JSON (an object or list flag): malformed is reported as such, with the position. */
function parseJsonField(value: string, path: string[], expected = 'JSON'): unknown {
  try {
    return parseJson(value);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new InputError('command line', [
      { field: path.join('.'), rule: `expected ${expected}; ${err.message}` },
    ]);
  }
}

/** Numbers and booleans: a value that is not JSON is left to zod, which names the expected type. */
function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function coerceValue(schema: AnySchema, value: unknown, path: string[]): unknown {
  const base = baseSchema(schema);
  const def = schemaDef(base);
  if (def.type === 'array') {
    const items = Array.isArray(value) ? value : [value];
    const element = def.element;
    return items
      .flatMap((item) =>
        typeof item === 'string' && item.trim().startsWith('[')
          ? (parseJsonField(item, path) as unknown[])
          : [item],
      )
      .map((item) => (element ? coerceValue(element, item, path) : item));
  }
  if (def.type === 'object' && isPlainObject(value)) return coerceObject(base, value, path);
  if (def.type === 'record' || def.type === 'object') return coerceMap(base, value, path);
  if (typeof value !== 'string') return value;
  if (['number', 'int', 'boolean', 'bigint', 'union'].includes(def.type)) return parseJsonOr(value);
  return value;
}

/** `--label env=prod --label team=search` → { env: 'prod', team: 'search' }; otherwise the value is JSON. */
function coerceMap(schema: AnySchema, value: unknown, path: string[]): unknown {
  const items = Array.isArray(value) ? value : [value];
  const pairs = items.every((item) => typeof item === 'string' && /^[^{["]*=/.test(item));
  if (!pairs) {
    if (items.length !== 1 || typeof items[0] !== 'string') return value;
    const parsed = parseJsonField(items[0], path, 'key=value pairs or a JSON object');
    return schemaDef(schema).type === 'object' ? coerceObject(schema, parsed, path) : parsed;
  }
  const map = Object.fromEntries(
    (items as string[]).map((item) => {
      const eq = item.indexOf('=');
      return [item.slice(0, eq), item.slice(eq + 1)] as const;
    }),
  );
  return schemaDef(schema).type === 'object' ? coerceObject(schema, map, path) : map;
}

/** Own keys only, copied with fromEntries: `__proto__` or `constructor` stay plain keys for zod to refuse. */
function coerceObject(schema: AnySchema, value: unknown, path: string[]): unknown {
  if (!isPlainObject(value)) return value;
  const shape = objectShape(schema);
  return Object.fromEntries(
    Object.entries(value).map(([key, raw]) => [
      key,
      Object.hasOwn(shape, key) ? coerceValue(shape[key], raw, [...path, key]) : raw,
    ]),
  );
}

/** Coerces each flag whose name is a field of the schema; unknown flags pass through for zod to judge. */
export function coerceFlags(schema: AnySchema, flags: Record<string, unknown>): Record<string, unknown> {
  return coerceObject(schema, flags, []) as Record<string, unknown>;
}
