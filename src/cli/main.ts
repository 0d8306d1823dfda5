import { ConfigError } from '../config';
import { InputError } from '../contracts/parse-input';
import { COMMANDS } from './commands/registry';
import { failureChain } from './failure-chain';
import { createOutput, type Output } from './output/output';
import { parseFlags } from './parse-flags';
import { usage } from './usage';
import { UsageError } from './usage-error';

/**
 * `milvus-snapshot <command>`: the CLI for people (`--json` for scripts). Each command is a file in
 * commands/ registered in commands/registry.ts. Inputs are validated with the workflows' own zod
 * schemas before anything connects or starts; bad input exits 2 naming the field and the rule.
 */

function help(command: string | undefined, out: Output): number {
  const found = command && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  const text = found ? (found.help?.() ?? usage({ [command as string]: found })) : usage(COMMANDS);
  out.text(text);
  return command && !found ? 2 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseFlags(argv);
  const out = createOutput(flags.json === true);
  const [name, ...args] = positional;
  if (!name || name === 'help' || flags.help === true) return help(name === 'help' ? args[0] : name, out);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(`unknown command ${name}\n\n${usage(COMMANDS)}`);
  return command.run({ args, flags, out });
}

/** Bad input and bad configuration exit 2; a failed run exits 1 with the reason chain. */
export function exitCodeFor(err: unknown): number {
  return err instanceof InputError || err instanceof ConfigError || err instanceof UsageError ? 2 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err) => {
      process.stderr.write(`error: ${failureChain(err)}\n`);
      process.exit(exitCodeFor(err));
    });
}
