import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when the CLI exits. */
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Runs `milvus-snapshot` as a person would, in its own process, with extra environment variables. */
export function startCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'milvus-snapshot.js'), ...args], {
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return { child, stderr: () => stderr, done };
}

export function runCli(args: string[], env: Record<string, string>) {
  return startCli(args, env).done;
}
