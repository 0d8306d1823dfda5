import { WorkflowFailedError } from '@temporalio/client';

/** A failure and its causes, as one line: "a: caused by: b: caused by: c" (at most five). */
export function failureChain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err instanceof WorkflowFailedError ? err.cause : err;
  while (current instanceof Error && parts.length < 5) {
    parts.push(current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': caused by: ');
}
