/**
 * Turns `--some-flag value`, `--flag=value`, `--no-flag` and repeated flags into a plain object
 * with camelCase keys. Values stay strings here; coerce-flags.ts gives them the schema's types.
 */
export interface ParsedArgs {
  positional: string[];
  flags: Record<string, unknown>;
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

type Flags = Record<string, unknown>;

/** `--verification.sample-size 5` sets flags.verification.sampleSize. */
function add(flags: Flags, dottedKey: string, value: string | boolean): void {
  const path = dottedKey.split('.');
  const key = path.pop() as string;
  for (const part of path) {
    if (typeof flags[part] !== 'object' || flags[part] === null || Array.isArray(flags[part]))
      flags[part] = {};
    flags = flags[part] as Flags;
  }
  const existing = flags[key] as string | boolean | string[] | undefined;
  if (existing === undefined || typeof value === 'boolean') {
    flags[key] = value;
    return;
  }
  flags[key] = Array.isArray(existing) ? [...existing, String(value)] : [String(existing), String(value)];
}

export function parseFlags(argv: string[]): ParsedArgs {
  const result: ParsedArgs = { positional: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      result.positional.push(arg);
      continue;
    }
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    if (eq >= 0) {
      add(result.flags, camelCase(body.slice(0, eq)), body.slice(eq + 1));
      continue;
    }
    if (body.startsWith('no-')) {
      add(result.flags, camelCase(body.slice(3)), false);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) {
      add(result.flags, camelCase(body), true);
      continue;
    }
    add(result.flags, camelCase(body), next);
    i++;
  }
  return result;
}
