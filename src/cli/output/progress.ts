/**
 * Progress while the CLI waits on a run. On a terminal: one line redrawn in place, with a bar when
 * the percentage is known. Piped or redirected: a plain line each time the text changes, so logs
 * stay readable and carry no control characters.
 */
export interface Progress {
  /** What is going on, e.g. "restore waiting: Executing job 42 (12 s)". */
  label: string;
  /** 0–100 when known. */
  percent?: number;
}

export interface ProgressDisplay {
  update(progress: Progress): void;
  /** Ends the in-place line so what follows starts on a fresh one. */
  done(): void;
}

const BAR_WIDTH = 24;

export function progressBar(percent: number, width = BAR_WIDTH): string {
  const clamped = Math.max(0, Math.min(100, percent));
  const filled = Math.round((clamped / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(clamped)).padStart(3)}%`;
}

export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
): ProgressDisplay {
  let last = '';
  let drawn = false;
  if (!stream.isTTY) {
    return {
      update({ label }) {
        if (label !== last) stream.write(`${label}\n`);
        last = label;
      },
      done: () => undefined,
    };
  }
  return {
    update({ label, percent }) {
      const line = percent === undefined ? label : `${progressBar(percent)} ${label}`;
      // Cut to the terminal's width: a wrapped line cannot be redrawn in place. A pty whose size
      // was never set (script(1) without a terminal) reports 0 columns: assume 80.
      const width = (stream.columns || 80) - 1;
      stream.write(`\r\x1b[2K${line.length > width ? line.slice(0, width) : line}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
