import { createProgress, type ProgressDisplay } from './progress';

/**
 * Where every command writes: results on stdout — with `--json` exactly the JSON scripts have
 * always read (2-space indented), otherwise text for people — and notes and progress on stderr,
 * so a pipe (`… --json | jq`) only ever sees the result.
 */
export interface Output {
  readonly json: boolean;
  /** The command's result: `JSON.stringify(value, null, 2)` with --json, else `human(value)`. */
  result<T>(value: T, human: (value: T) => string): void;
  /** Text that is the same in both modes (help) on stdout. */
  text(text: string): void;
  /** A line for people on stderr (what started, warnings), in both modes. */
  note(line: string): void;
  /** Progress of a run being waited on: a bar on a terminal, a line per change when piped. */
  progress(): ProgressDisplay;
}

export interface OutputStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export function createOutput(
  json: boolean,
  streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr },
): Output {
  const { stdout, stderr } = streams;
  return {
    json,
    result(value, human) {
      const text = json ? JSON.stringify(value, null, 2) : human(value);
      stdout.write(`${text}\n`);
    },
    text(text) {
      stdout.write(`${text}\n`);
    },
    note(line) {
      stderr.write(`${line}\n`);
    },
    progress: () => createProgress(stderr),
  };
}
