import type { Output } from './output/output';

/** Command-line flags after parsing: camelCase keys, values still strings (see parse-flags.ts). */
export type Flags = Record<string, unknown>;

export interface CommandContext {
  /** Positional words after the command name (`status <id>` → [id]). */
  args: string[];
  flags: Flags;
  out: Output;
}

/**
 * One `milvus-snapshot <name>` command: a file under commands/ exporting one of these, plus one line
 * in commands/registry.ts. `run` returns the exit code; bad input throws UsageError/InputError (exit 2).
 */
export interface Command {
  /** Its lines in the usage list: how it is called, what it does. */
  usage: [call: string, does: string][];
  /** `help <command>`: the full help text (flags), when there is more to say than the summary. */
  help?(): string;
  run(ctx: CommandContext): Promise<number>;
}
