import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { InputError, parseInput } from '../contracts/parse-input';
import { FailureType } from '../contracts/failures';

/**
 * Workflows validate their input again (a run started from the Temporal UI or a Schedule never
 * went through the client). Bad input fails the run at once, non-retryably, naming every field
 * and rule; a plain thrown error would instead fail the workflow task and retry forever.
 */
export function parseWorkflowInput<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  try {
    return parseInput(schema, raw ?? {}, what);
  } catch (err) {
    if (err instanceof InputError)
      throw ApplicationFailure.nonRetryable(err.message, FailureType.InvalidInput);
    throw err;
  }
}
