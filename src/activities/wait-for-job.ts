import { heartbeat, previousHeartbeat, sleepOrCancel } from './heartbeat';

/**
 * The durable wait on a Milvus job (restore, export): one long, heartbeating activity polls until
 * the job is finished. History grows by a bounded number of events whatever the job's length: the
 * activity itself plus one signal per state change or progress step (at most 10 at 10 %).
 */

/** What every job reports: a state and a 0–100 progress. */
export interface JobStatus {
  state: string;
  progress: number;
}

export interface JobWait<J extends JobStatus> {
  /** One poll: the job, or undefined after a transient failure (polled again later). */
  poll(): Promise<J | undefined>;
  /** Stops the wait, returning this job. */
  finished(job: J): boolean;
  /** Tells the workflow about a change; resolves false when it was not delivered. */
  signal(job: J): Promise<boolean>;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** A signal goes to the workflow each time progress crosses a multiple of this. */
  progressStepPercent?: number;
  /** What the workflow already knows (from starting or adopting the job): not signalled again. */
  known?: JobStatus;
}

/** Saved in heartbeats, so a retried attempt (worker crash, server restart) resumes where it was. */
interface WaitCheckpoint {
  waitingSince: number;
  polls: number;
  /** What the workflow was last told, so updates are not repeated after a retry. */
  signaledState?: string;
  signaledStep?: number;
  signals: number;
}

/** Heartbeats during a sleep: cancellation is only delivered on a heartbeat. */
const HEARTBEAT_EVERY_MS = 5_000;
const DEFAULT_PROGRESS_STEP = 10;

/**
 * The poll interval grows with the time already waited (10% of it), between the base interval and
 * the maximum: short jobs are noticed quickly, a 24-hour one costs a few thousand polls.
 */
export function nextPollIntervalMs(waitedMs: number, baseMs: number, maxMs: number): number {
  return Math.min(Math.max(baseMs, Math.floor(waitedMs / 10)), Math.max(baseMs, maxMs));
}

function resumeCheckpoint(known: JobStatus | undefined, step: number): WaitCheckpoint {
  const saved = previousHeartbeat<WaitCheckpoint>();
  if (saved?.waitingSince) return saved;
  const cp: WaitCheckpoint = { waitingSince: Date.now(), polls: 0, signals: 0 };
  if (known) {
    cp.signaledState = known.state;
    cp.signaledStep = Math.floor(known.progress / step);
  }
  return cp;
}

async function sleepWithHeartbeats(ms: number, cp: WaitCheckpoint): Promise<void> {
  for (let left = ms; left > 0; left -= HEARTBEAT_EVERY_MS) {
    await sleepOrCancel(Math.min(left, HEARTBEAT_EVERY_MS));
    heartbeat(cp);
  }
}

/** Polls until `finished`, signalling the workflow on each state change or progress step. */
export async function waitForJob<J extends JobStatus>(wait: JobWait<J>): Promise<J> {
  const step = wait.progressStepPercent ?? DEFAULT_PROGRESS_STEP;
  const cp = resumeCheckpoint(wait.known, step);
  for (;;) {
    const job = await wait.poll();
    cp.polls += 1;
    if (job && wait.finished(job)) return job;
    const changed =
      job && (cp.signaledState !== job.state || cp.signaledStep !== Math.floor(job.progress / step));
    if (job && changed && (await wait.signal(job))) {
      cp.signaledState = job.state;
      cp.signaledStep = Math.floor(job.progress / step);
      cp.signals += 1;
    }
    heartbeat(cp);
    const waited = Date.now() - cp.waitingSince;
    await sleepWithHeartbeats(nextPollIntervalMs(waited, wait.pollIntervalMs, wait.maxPollIntervalMs), cp);
  }
}
