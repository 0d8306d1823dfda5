import type { z } from 'zod';
import { baseSchema, objectShape, schemaDef } from '../contracts/parse-input';

/** `help <command>`: the input's fields, their types, defaults and descriptions, from the zod schema. */

/** A field's flag spelling: `flushTimeout` → `flush-timeout`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function defaultOf(schema: z.ZodType): unknown {
  let current: z.ZodType | undefined = schema;
  while (current) {
    const d = schemaDef(current);
    if (d.type === 'default' || d.type === 'prefault') return d.defaultValue;
    if (d.type !== 'optional' && d.type !== 'nullable') return undefined;
    current = d.innerType;
  }
  return undefined;
}

function typeOf(schema: z.ZodType): string {
  const d = schemaDef(baseSchema(schema));
  if (d.type === 'enum' && d.entries) return Object.values(d.entries).join('|');
  return d.type;
}

function isRequired(schema: z.ZodType): boolean {
  return !schema.safeParse(undefined).success;
}

function description(schema: z.ZodType): string {
  return schema.description ?? baseSchema(schema).description ?? '';
}

export function describeSchema(schema: z.ZodType, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [name, field] of Object.entries(objectShape(schema))) {
    const flag = `--${prefix}${kebab(name)}`;
    const dflt = defaultOf(field);
    const notes = [
      typeOf(field),
      isRequired(field) ? 'required' : undefined,
      dflt === undefined ? undefined : `default ${JSON.stringify(dflt)}`,
    ].filter(Boolean);
    lines.push(`  ${flag.padEnd(34)} ${description(field)} (${notes.join(', ')})`);
    if (schemaDef(baseSchema(field)).type === 'object')
      lines.push(...describeSchema(field, `${prefix}${kebab(name)}.`));
  }
  return lines;
}
