import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { z } from 'zod';
import { isPlainObject } from '../contracts/parse-input';

/** One field whose value differs between the running workflow's input and the one asked for. */
export interface InputDifference {
  field: string;
  running: unknown;
  requested: unknown;
}

/**
 * A start whose workflow id matches a running workflow with different input: attaching would hand
 * back that other operation's result as if it were this one's, so the start is refused instead.
 */
export class WorkflowInputConflictError extends Error {
  constructor(
    readonly workflowId: string,
    readonly runId: string,
    readonly differences: InputDifference[],
    what: string,
  ) {
    const diff = differences
      .map((d) => `${d.field} ${show(d.running)} (you asked for ${show(d.requested)})`)
      .join(', ');
    super(
      `a ${what} with different input is already running as workflow ${workflowId} (run ${runId}): ${diff}; wait for it or cancel it (milvus-snapshot cancel ${workflowId}), then start again`,
    );
    this.name = 'WorkflowInputConflictError';
  }
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/** Dotted field → JSON of the value, for objects at any depth; keys sorted, so order never differs. */
function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const key of Object.keys(value).sort()) flatten(value[key], prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined) {
    out.set(prefix || '(input)', JSON.stringify(value));
  }
  return out;
}

/** Fields whose values differ, comparing both inputs after the schema applied its defaults. */
export function inputDifferences(running: unknown, requested: unknown): InputDifference[] {
  const a = flatten(running);
  const b = flatten(requested);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields
    .filter((f) => a.get(f) !== b.get(f))
    .map((f) => ({ field: f, running: parseOrUndefined(a.get(f)), requested: parseOrUndefined(b.get(f)) }));
}

function parseOrUndefined(json: string | undefined): unknown {
  return json === undefined ? undefined : JSON.parse(json);
}

/**
 * The first argument the run was started with, as Temporal recorded it in the run's first history
 * event: this is what the run works on, whoever started it (this client, the UI, a schedule).
 */
async function startedInput(client: Client, workflowId: string, runId: string): Promise<unknown> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  const payloads = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  const [input] = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads);
  return input;
}

/**
 * After a start with conflict policy USE_EXISTING: the run is ours or one started with the same
 * input (attach), or else the start is refused naming what is running. Compared after the schema's
 * defaults, so a field left out and the same field given its default are the same input.
 */
export async function refuseDifferentInput(
  client: Client,
  run: { workflowId: string; runId: string },
  schema: z.ZodType,
  requested: unknown,
  what: string,
): Promise<void> {
  const raw = await startedInput(client, run.workflowId, run.runId);
  const parsed = schema.safeParse(raw);
  const differences = inputDifferences(parsed.success ? parsed.data : raw, requested);
  if (differences.length > 0)
    throw new WorkflowInputConflictError(run.workflowId, run.runId, differences, what);
}
