import {
  WorkflowFailedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { SnapshotWorkerClient } from '../client';
import { ConfigError, loadTemporalConfig } from '../config';
import { renderDrillHistory } from '../client/drill-history';
import { renderDrillReport } from '../drill/render-report';
import type { DrillReport } from '../drill/report';
import { backupInputSchema } from '../contracts/backup';
import { drillInputSchema } from '../contracts/drill';
import { InputError, parseInput } from '../contracts/parse-input';
import { restoreInputSchema } from '../contracts/restore';
import { retentionInputSchema } from '../contracts/retention';
import { scheduleOptionsSchema } from '../contracts/schedule';
import { objectShape } from '../contracts/schema-shape';
import { closestName } from '../shared/closest-name';
import { parseJson } from '../shared/parse-json';
import { coerceFlags } from './coerce-flags';
import { describeSchema, kebab } from './describe-schema';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';
import { awaitWorker } from './await-worker';
import { DEFAULT_DB } from '../milvus/names';

/**
 * `milvus-snapshot <command>`: the CLI for people. Inputs are validated with the workflows' own
 * zod schemas before anything connects or starts; bad input exits 2 naming the field and the rule.
 */
type Flags = Record<string, unknown>;

interface Operation {
  schema: z.ZodType;
  summary: string;
  start(client: SnapshotWorkerClient, input: never): Promise<WorkflowHandleWithFirstExecutionRunId>;
  schedule(client: SnapshotWorkerClient, input: never, schedule: Flags): Promise<string>;
  /** Progress line while waiting, if the workflow answers a progress query. */
  progress?(client: SnapshotWorkerClient, workflowId: string): Promise<string>;
}

/** A query does not advance workflow time, so elapsed time is measured here. */
function secondsSince(epochMs: number): number {
  return Math.round((Date.now() - epochMs) / 1000);
}

const OPERATIONS: Record<string, Operation> = {
  backup: {
    schema: backupInputSchema,
    summary: 'flush → create snapshot → verify (compensates on failure)',
    start: (c, input) => c.startBackup(input),
    schedule: (c, input, s) => c.scheduleBackup(input, s),
  },
  restore: {
    schema: restoreInputSchema,
    summary: 'restore a snapshot into a new collection, wait durably, verify',
    start: (c, input) => c.startRestore(input),
    schedule: () => Promise.reject(new UsageError('restores are not scheduled; schedule a drill instead')),
    progress: async (c, id) => {
      const p = await c.restoreProgress(id);
      return `restore ${p.phase}: ${p.state ?? '-'} ${p.progress}% job ${p.jobId ?? '-'} (${secondsSince(p.startedAt)} s)`;
    },
  },
  retention: {
    schema: retentionInputSchema,
    summary: 'prune snapshots by policy (restic semantics); --dry-run only plans',
    start: (c, input) => c.startRetention(input),
    schedule: (c, input, s) => c.scheduleRetention(input, s),
  },
  drill: {
    schema: drillInputSchema,
    summary: 'disaster-recovery drill: backup → restore to scratch → verify → RTO/RPO → cleanup → report',
    start: (c, input) => c.startDrill(input),
    schedule: (c, input, s) => c.scheduleDrill(input, s),
    progress: async (c, id) => {
      const p = await c.drillProgress(id);
      if (p.step !== 'restore' || !p.restoreWorkflowId) return `drill ${p.step}`;
      const r = await c.restoreProgress(p.restoreWorkflowId);
      return `drill restore: ${r.state ?? r.phase} ${r.progress}% (${secondsSince(r.startedAt)} s)`;
    },
  },
};

const CLI_FLAGS = new Set(['json', 'wait', 'inputFile', 'failWithoutWorker']);

const USAGE = `usage: milvus-snapshot <command> [--flag value …]

commands:
${Object.entries(OPERATIONS)
  .map(([name, op]) => `  ${name.padEnd(12)} ${op.summary}`)
  .join('\n')}
  drill history [--collection C] [--db D] [--limit N]   past drills with the RTO trend
  status <workflow-id>          state of a run (and restore/drill progress)
  cancel <workflow-id>          cancel a run (it compensates: drops what it created)
  check [--db D]                Milvus reachable through the worker?
  schedule create <backup|retention|drill> (--cron "0 2 * * *" | --every 6h) [its flags]
  schedule list | delete <id> | trigger <id> | pause <id> | unpause <id>
  help [command]                the command's flags, from its input schema

common flags: --input-file input.json (flags override it), --no-wait (print the workflow id and
return), --json (machine-readable output), --fail-without-worker (exit 1 without starting
anything when no worker polls the task queue within 5 s; by default the CLI says so and waits)
environment: TEMPORAL_ADDRESS (required), TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, TEMPORAL_API_KEY,
TEMPORAL_TLS_CERT_PATH / _KEY_PATH / _CA_PATH`;

function print(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}

function readInputFile(path: unknown): Flags {
  if (path === undefined) return {};
  if (typeof path !== 'string') throw new UsageError('--input-file needs a path');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--input-file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parseJson(text) as Flags;
  } catch (err) {
    throw new UsageError(`--input-file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Flags of the schema only: a mistyped flag is an error, not silently ignored. */
function operationInput(command: string, schema: z.ZodType, flags: Flags, extraKnown: Set<string>): Flags {
  const shape = objectShape(schema);
  const input: Flags = {};
  for (const [key, value] of Object.entries(flags)) {
    if (CLI_FLAGS.has(key) || extraKnown.has(key)) continue;
    // `--label k=v` for the `labels` field reads better than `--labels`.
    const field = Object.hasOwn(shape, key) ? key : Object.hasOwn(shape, `${key}s`) ? `${key}s` : undefined;
    if (!field) {
      const near = closestName(key, [...Object.keys(shape), ...extraKnown, ...CLI_FLAGS]);
      const hint = near ? `; did you mean --${kebab(near)}?` : '';
      throw new UsageError(
        `unknown flag --${kebab(key)} for ${command}${hint} (see: milvus-snapshot help ${command})`,
      );
    }
    input[field] = value;
  }
  return { ...readInputFile(flags.inputFile), ...coerceFlags(schema, input) };
}

async function connect(): Promise<SnapshotWorkerClient> {
  return SnapshotWorkerClient.connect(loadTemporalConfig());
}

/** Commands that wait on a run first make sure a worker will pick it up (see await-worker.ts). */
async function checkWorker(client: SnapshotWorkerClient, flags: Flags): Promise<void> {
  if (flags.wait === false && flags.failWithoutWorker !== true) return;
  const { address, namespace } = loadTemporalConfig();
  await awaitWorker(client, { address, namespace }, flags.failWithoutWorker === true);
}

async function waitWithProgress(
  client: SnapshotWorkerClient,
  handle: WorkflowHandle,
  op: Operation,
): Promise<unknown> {
  const progress = op.progress;
  let last = '';
  const timer = progress
    ? setInterval(() => {
        progress(client, handle.workflowId)
          .then((line) => {
            if (line !== last) process.stderr.write(`${line}\n`);
            last = line;
          })
          .catch(() => undefined); // a query can fail before the first workflow task; the next tick retries
      }, 2000)
    : undefined;
  try {
    return await handle.result();
  } finally {
    if (timer) clearInterval(timer);
  }
}

async function runOperation(command: string, flags: Flags): Promise<number> {
  const op = OPERATIONS[command];
  const input = parseInput(
    op.schema,
    operationInput(command, op.schema, flags, new Set()),
    `${command} input`,
  );
  const client = await connect();
  try {
    await checkWorker(client, flags);
    const handle = await op.start(client, input as never);
    process.stderr.write(`${command} started: workflow ${handle.workflowId}\n`);
    if (flags.wait === false) {
      print({
        workflowId: handle.workflowId,
        runId: handle.firstExecutionRunId,
      });
      return 0;
    }
    const result = await waitWithProgress(client, handle, op);
    if (command === 'drill') return printDrill(result as DrillReport, flags.json === true);
    print(result);
    return 0;
  } finally {
    await client.close();
  }
}

function printDrill(report: DrillReport, json: boolean): number {
  print(json ? report : renderDrillReport(report));
  return report.outcome === 'pass' ? 0 : 1;
}

async function runSchedule(args: string[], flags: Flags): Promise<number> {
  const [action, target] = args;
  if (action === 'create') {
    const op = target ? OPERATIONS[target] : undefined;
    if (!op) throw new UsageError('schedule create needs one of: backup, retention, drill');
    const scheduleKeys = new Set(Object.keys(objectShape(scheduleOptionsSchema)));
    const scheduleFlags = Object.fromEntries(Object.entries(flags).filter(([k]) => scheduleKeys.has(k)));
    const input = parseInput(
      op.schema,
      operationInput(target, op.schema, flags, scheduleKeys),
      `${target} input`,
    );
    const schedule = parseInput(
      scheduleOptionsSchema,
      coerceFlags(scheduleOptionsSchema, scheduleFlags),
      'schedule options',
    );
    const client = await connect();
    try {
      print({ scheduleId: await op.schedule(client, input as never, schedule) });
      return 0;
    } finally {
      await client.close();
    }
  }
  const client = await connect();
  try {
    if (action === 'list') {
      print(await client.listSchedules());
      return 0;
    }
    if (!target) throw new UsageError(`schedule ${action ?? ''} needs a schedule id`);
    if (action === 'delete') await client.deleteSchedule(target);
    else if (action === 'trigger') await client.triggerSchedule(target);
    else if (action === 'pause' || action === 'unpause')
      await client.pauseSchedule(target, action === 'pause');
    else throw new UsageError(`unknown schedule action ${action}`);
    print({ scheduleId: target, done: action });
    return 0;
  } finally {
    await client.close();
  }
}

async function runStatus(workflowId: string | undefined): Promise<number> {
  if (!workflowId) throw new UsageError('status needs a workflow id');
  const client = await connect();
  try {
    const handle = client.client.workflow.getHandle(workflowId);
    const info = await handle.describe();
    const status: Flags = {
      workflowId,
      type: info.type,
      status: info.status.name,
      startTime: info.startTime.toISOString(),
      closeTime: info.closeTime?.toISOString(),
    };
    if (info.type === 'restoreWorkflow') status.progress = await client.restoreProgress(workflowId);
    if (info.type === 'drillWorkflow' && info.status.name === 'RUNNING')
      status.progress = await client.drillProgress(workflowId);
    print(status);
    return 0;
  } finally {
    await client.close();
  }
}

async function runWithClient(fn: (c: SnapshotWorkerClient) => Promise<number>): Promise<number> {
  const client = await connect();
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

function help(command: string | undefined): number {
  const op = command ? OPERATIONS[command] : undefined;
  if (command === 'schedule') {
    print(
      `schedule create <backup|retention|drill> flags:\n${describeSchema(scheduleOptionsSchema).join('\n')}`,
    );
    return 0;
  }
  if (!op) {
    print(USAGE);
    return command ? 2 : 0;
  }
  print(`milvus-snapshot ${command}: ${op.summary}\n\nflags:\n${describeSchema(op.schema).join('\n')}`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseFlags(argv);
  const [command, ...rest] = positional;
  if (!command || command === 'help' || flags.help === true)
    return help(command === 'help' ? rest[0] : command);
  if (command in OPERATIONS && rest[0] === 'history' && command === 'drill') {
    const limit = flags.limit === undefined ? undefined : Number(flags.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new UsageError('--limit: must be a whole number ≥ 1');
    return runWithClient(async (c) => {
      const rows = await c.drillHistory({
        collection: flags.collection as string,
        db: flags.db as string,
        limit,
      });
      print(flags.json === true ? rows : renderDrillHistory(rows));
      return 0;
    });
  }
  if (command in OPERATIONS) return runOperation(command, flags);
  if (command === 'schedule') return runSchedule(rest, flags);
  if (command === 'status') return runStatus(rest[0]);
  if (command === 'cancel') {
    if (!rest[0]) throw new UsageError('cancel needs a workflow id');
    return runWithClient(async (c) => {
      await c.cancel(rest[0]);
      print({ workflowId: rest[0], cancelRequested: true });
      return 0;
    });
  }
  if (command === 'check')
    return runWithClient(async (c) => {
      await checkWorker(c, flags);
      print(await c.checkMilvus((flags.db as string) ?? DEFAULT_DB));
      return 0;
    });
  throw new UsageError(`unknown command ${command}\n\n${USAGE}`);
}

/** Bad input and bad configuration exit 2; a failed run exits 1 with the reason chain. */
export function exitCodeFor(err: unknown): number {
  return err instanceof InputError || err instanceof ConfigError || err instanceof UsageError ? 2 : 1;
}

function failureChain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err instanceof WorkflowFailedError ? err.cause : err;
  while (current instanceof Error && parts.length < 5) {
    parts.push(current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': caused by: ');
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err) => {
      process.stderr.write(`error: ${failureChain(err)}\n`);
      process.exit(exitCodeFor(err));
    });
}
