import { z } from 'zod';
import type { OperationDescriptor } from './operation';
import { unknownKeyIssues } from './unknown-keys';

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

export interface ParseInputOptions {
  /** 'ignore' only for workflow runs started before unknown keys were refused (see parseWorkflowInput). */
  unknownKeys?: 'reject' | 'ignore';
}

/** Validates against the schema and refuses keys it does not define (naming the nearest valid one). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  what: string,
  options: ParseInputOptions = {},
): z.output<S> {
  const unknown = options.unknownKeys === 'ignore' ? [] : unknownKeyIssues(schema, raw);
  const result = schema.safeParse(raw);
  if (result.success && unknown.length === 0) return result.data;
  const invalid = result.success
    ? []
    : result.error.issues.map((issue) => ({ field: fieldName(issue.path), rule: issue.message }));
  throw new InputError(what, [...unknown, ...invalid]);
}

/** An operation's input, parsed once the same way by the CLI and the client: `InputError` naming each bad field. */
export function parseOperationInput<S extends z.ZodType>(
  descriptor: OperationDescriptor<S, unknown>,
  raw: unknown,
): z.output<S> {
  return parseInput(descriptor.input, raw, `${descriptor.name} input`);
}
