import type { WorkflowHandle } from '@temporalio/client';
import type { SnapshotWorkerClient } from '../client';
import type { OperationDescriptor } from '../contracts/operation';
import { parseOperationInput } from '../contracts/parse-input';
import type { Command, CommandContext, Flags } from './command';
import { checkWorker, withClient } from './connect';
import { describeSchema } from './describe-schema';
import { operationInput } from './operation-input';
import type { Output } from './output/output';
import type { Progress } from './output/progress';

/**
 * The commands that start a workflow (backup, restore, retention, drill) share one shape: input
 * from flags checked with the workflow's own zod schema before anything connects, start (or attach),
 * then wait with progress and print the result — or, with --no-wait, print the ids and return.
 */
export interface Operation<R = never> {
  /** Name, input schema, help line, steps, schedule support: the operation's own descriptor. */
  descriptor: OperationDescriptor;
  /** Where the run is, while waiting, if the workflow answers a progress query. */
  progress?(client: SnapshotWorkerClient, workflowId: string): Promise<Progress>;
  /** The result for people: one line, or a short block (also used by `status` for closed runs). */
  render(result: R): string;
  /**
   * Completes the parsed input once connected, before the start (recover: the cluster whose
   * catalog records the collection); may say what it chose on `out`.
   */
  prepare?(client: SnapshotWorkerClient, input: unknown, out: Output): Promise<unknown>;
  /** The exit code for a result (default 0): a failed drill exits 1. */
  exitCode?(result: R): number;
}

/** A query does not advance workflow time, so elapsed time is measured here. */
export function secondsSince(epochMs: number): number {
  return Math.round((Date.now() - epochMs) / 1000);
}

const PROGRESS_EVERY_MS = 2000;

async function waitWithProgress(
  client: SnapshotWorkerClient,
  handle: WorkflowHandle,
  op: Operation,
  out: Output,
): Promise<unknown> {
  const progress = op.progress;
  const display = out.progress();
  const timer = progress
    ? setInterval(() => {
        progress(client, handle.workflowId)
          .then((p) => display.update(p))
          .catch(() => undefined); // a query can fail before the first workflow task; the next tick retries
      }, PROGRESS_EVERY_MS)
    : undefined;
  try {
    return await handle.result();
  } finally {
    if (timer) clearInterval(timer);
    display.done();
  }
}

/** The operation's input from the command line, parsed as the client parses it. */
export function parseOperationFlags(op: Operation, flags: Flags, extraKnown = new Set<string>()): unknown {
  const { descriptor } = op;
  return parseOperationInput(
    descriptor,
    operationInput(descriptor.name, descriptor.input, flags, extraKnown),
  );
}

async function runOperation(op: Operation, { flags, out }: CommandContext): Promise<number> {
  const parsed = parseOperationFlags(op, flags);
  const { name } = op.descriptor;
  return withClient(async (client) => {
    await checkWorker(client, flags);
    const input = op.prepare ? await op.prepare(client, parsed, out) : parsed;
    const handle = await client.startOperation(op.descriptor, input);
    out.note(`${name} started: workflow ${handle.workflowId}`);
    if (flags.wait === false) {
      const started = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
      out.result(
        started,
        (s) =>
          `workflow ${s.workflowId} (run ${s.runId}); follow it with: milvus-snapshot status ${s.workflowId}`,
      );
      return 0;
    }
    const result = await waitWithProgress(client, handle, op, out);
    out.result(result as never, op.render);
    return op.exitCode?.(result as never) ?? 0;
  });
}

/** The command for an operation: run it, or with `help` list its flags from the input schema. */
export function operationCommand<R>(op: Operation<R>): Command {
  const { name, about, input } = op.descriptor;
  return {
    usage: [[name, about]],
    help: () => `milvus-snapshot ${name}: ${about}\n\nflags:\n${describeSchema(input).join('\n')}`,
    run: (ctx) => runOperation(op, ctx),
  };
}
