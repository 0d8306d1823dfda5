import { closestName } from '../shared/closest-name';
import { baseSchema, isPlainObject, objectShape, schemaDef, type AnySchema } from './schema-shape';

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
