import type { Command } from './command';

const CALL_WIDTH = 30;

function usageLine([call, does]: [string, string]): string {
  if (!does) return `  ${call}`;
  return call.length < CALL_WIDTH ? `  ${call.padEnd(CALL_WIDTH)} ${does}` : `  ${call}   ${does}`;
}

/** `milvus-snapshot help`: every registered command, the common flags and the environment. */
export function usage(commands: Record<string, Command>): string {
  return `usage: milvus-snapshot <command> [--flag value …]

commands:
${Object.values(commands)
  .flatMap((c) => c.usage.map(usageLine))
  .join('\n')}
  ${'help [command]'.padEnd(CALL_WIDTH)} the command's flags, from its input schema

common flags: --input-file input.json (flags override it), --no-wait (print the workflow id and
return), --json (machine-readable output, as scripts read it; without it: text for people),
--fail-without-worker (exit 1 without starting anything when no worker polls the task queue
within 5 s; by default the CLI says so and waits)
environment: TEMPORAL_ADDRESS (required), TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, TEMPORAL_API_KEY,
TEMPORAL_TLS_CERT_PATH / _KEY_PATH / _CA_PATH; snapshots and restore-jobs also read Milvus:
MILVUS_ADDRESS, MILVUS_TOKEN, MILVUS_TLS`;
}
