import { milvusName } from '../milvus/names';
import type { Flags } from './command';
import { unknownFlagError, CLI_FLAGS } from './operation-input';
import { UsageError } from './usage-error';

/** Refuses any flag but the common ones and `known`, naming the nearest valid one. */
export function refuseUnknownFlags(command: string, flags: Flags, known: readonly string[] = []): void {
  for (const key of Object.keys(flags))
    if (!CLI_FLAGS.has(key) && !known.includes(key)) throw unknownFlagError(key, command, known);
}

/**
 * Flags of the commands that take a few plain flags rather than a workflow input: each known flag
 * read as a string, names checked with Milvus's naming rule; anything else is refused naming it.
 */
export function readFlags<K extends string>(
  command: string,
  flags: Flags,
  known: { required: readonly K[]; optional: readonly K[] },
): Partial<Record<K, string>> {
  const all: readonly string[] = [...known.required, ...known.optional];
  const read: Partial<Record<K, string>> = {};
  refuseUnknownFlags(command, flags, all);
  for (const [key, value] of Object.entries(flags)) {
    if (CLI_FLAGS.has(key)) continue;
    if (typeof value !== 'string') throw new UsageError(`--${key} needs a value (${command})`);
    const name = milvusName.safeParse(value);
    if (!name.success) throw new UsageError(`--${key}: ${name.error.issues[0]?.message ?? 'invalid name'}`);
    read[key as K] = value;
  }
  for (const key of known.required)
    if (read[key] === undefined) throw new UsageError(`${command} needs --${key}`);
  return read;
}
