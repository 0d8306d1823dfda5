import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { objectShape } from '../contracts/parse-input';
import { closestName } from '../shared/closest-name';
import { parseJson } from '../shared/parse-json';
import type { Flags } from './command';
import { coerceFlags } from './coerce-flags';
import { kebab } from './describe-schema';
import { UsageError } from './usage-error';

/** Flags every command accepts besides its input's fields. */
export const CLI_FLAGS = new Set(['json', 'wait', 'inputFile', 'failWithoutWorker']);

function readInputFile(path: unknown): Flags {
  if (path === undefined) return {};
  if (typeof path !== 'string') throw new UsageError('--input-file needs a path');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--input-file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parseJson(text) as Flags;
  } catch (err) {
    throw new UsageError(`--input-file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The flag that was probably meant, as a hint for an error message. */
export function unknownFlagError(flag: string, command: string, known: Iterable<string>): UsageError {
  const near = closestName(flag, [...known, ...CLI_FLAGS]);
  const hint = near ? `; did you mean --${kebab(near)}?` : '';
  return new UsageError(
    `unknown flag --${kebab(flag)} for ${command}${hint} (see: milvus-snapshot help ${command})`,
  );
}

/**
 * A workflow input from the input file and the flags (flags win). Flags of the schema only: a
 * mistyped flag is an error, not silently ignored. `extraKnown` are flags the caller reads itself.
 */
export function operationInput(
  command: string,
  schema: z.ZodType,
  flags: Flags,
  extraKnown: Set<string>,
): Flags {
  const shape = objectShape(schema);
  const input: Flags = {};
  for (const [key, value] of Object.entries(flags)) {
    if (CLI_FLAGS.has(key) || extraKnown.has(key)) continue;
    // `--label k=v` for the `labels` field reads better than `--labels`.
    const field = Object.hasOwn(shape, key) ? key : Object.hasOwn(shape, `${key}s`) ? `${key}s` : undefined;
    if (!field) throw unknownFlagError(key, command, [...Object.keys(shape), ...extraKnown]);
    input[field] = value;
  }
  return { ...readInputFile(flags.inputFile), ...coerceFlags(schema, input) };
}
