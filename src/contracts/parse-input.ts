import { z } from 'zod';

/**
 * Bad input is refused before anything is started, created or dropped, with one message per
 * problem naming the field and the rule. The client and the CLI (exit code 2) share this.
 */
export class InputError extends Error {
  readonly issues: { field: string; rule: string }[];

  constructor(what: string, issues: { field: string; rule: string }[]) {
    super(`invalid ${what}: ${issues.map((i) => `${i.field}: ${i.rule}`).join('; ')}`);
    this.name = 'InputError';
    this.issues = issues;
  }
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(input)' : path.map(String).join('.');
}

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new InputError(
    what,
    result.error.issues.map((issue) => ({ field: fieldName(issue.path), rule: issue.message })),
  );
}
