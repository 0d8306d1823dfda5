import { ApplicationFailure } from '@temporalio/common';
import { isMilvusError } from '../../milvus/errors';
import type {
  CollectionRef,
  MilvusGateway,
  RestoreJobInfo,
  RestoreState,
  SnapshotInfo,
  SnapshotRef,
} from '../../milvus/gateway';
import { isRestoreJobFinished } from '../../milvus/jobs';
import { FailureType } from '../../contracts/failures';
import { type RestoreJobStarted, restoreJobStartedSignal } from '../../contracts/restore';
import { heartbeat, previousHeartbeat, signalOwnWorkflow } from '../heartbeat';
import { parseSnapshotMarker } from '../../contracts/snapshot-marker';

export interface StartRestoreInput {
  snapshot: string;
  sourceDb: string;
  sourceCollection: string;
  targetDb: string;
  targetCollection: string;
  /**
   * Jobs of this snapshot into the target that started at or after this time (epoch ms, the
   * workflow's start) belong to this run: a crashed earlier attempt of it started them.
   */
  notBeforeMs: number;
}

export interface StartedRestore {
  jobId: string;
  /** True when an existing job was taken over instead of starting one. */
  adopted: boolean;
  state: RestoreState;
  /** Milvus's start_time of the job (epoch ms), or when it was started here. */
  startTime: number;
}

/** Milvus's clock and Temporal's may disagree a little; a job this early still counts as ours. */
const CLOCK_SKEW_MS = 60_000;

/** A job into the target that started at or after `notBeforeMs` (less the clock skew). */
export function startedSince(job: RestoreJobInfo, notBeforeMs: number): boolean {
  return job.startTime >= notBeforeMs - CLOCK_SKEW_MS;
}

function isOurs(job: RestoreJobInfo, input: StartRestoreInput): boolean {
  return job.snapshot === input.snapshot && startedSince(job, input.notBeforeMs);
}

function adopt(job: RestoreJobInfo): StartedRestore {
  return { jobId: job.jobId, adopted: true, state: job.state, startTime: job.startTime };
}

function newest(jobs: RestoreJobInfo[]): RestoreJobInfo | undefined {
  return [...jobs].sort((a, b) => b.startTime - a.startTime || Number(BigInt(b.jobId) - BigInt(a.jobId)))[0];
}

function describe(target: CollectionRef): string {
  return `${target.db}.${target.collection}`;
}

/** The job an earlier attempt recorded; Milvus may have forgotten it already (the wait decides then). */
export async function adoptRecorded(
  gateway: MilvusGateway,
  recorded: RestoreJobStarted,
): Promise<StartedRestore> {
  try {
    return adopt(await gateway.getRestoreState(recorded.jobId));
  } catch (err) {
    if (!isMilvusError(err) || err.kind !== 'RestoreJobNotFound') throw err;
    return { jobId: recorded.jobId, adopted: true, state: 'None', startTime: recorded.startTime };
  }
}

/**
 * The target exists, so listing its jobs is allowed (Milvus answers 100 for a missing one:
 * task_snapshot.go listRestoreSnapshotJobsTask). RestoreSnapshot creates the target inside the
 * call, so a job of this run made it exist: adopt it. Otherwise refuse, naming what is there.
 */
export async function adoptOrRefuse(
  gateway: MilvusGateway,
  target: CollectionRef,
  ours: (job: RestoreJobInfo) => boolean,
): Promise<StartedRestore> {
  let jobs: RestoreJobInfo[];
  try {
    jobs = await gateway.listRestoreJobs(target);
  } catch (err) {
    if (!isMilvusError(err) || err.kind !== 'CollectionNotFound') throw err;
    // Dropped between the check and the listing: the next attempt checks again from the start.
    throw ApplicationFailure.retryable(
      `target ${describe(target)} vanished while its restore jobs were listed`,
    );
  }
  const mine = newest(jobs.filter(ours));
  if (mine) return adopt(mine);
  const busy = jobs.find((j) => !isRestoreJobFinished(j.state));
  if (busy) {
    throw ApplicationFailure.nonRetryable(
      `Restore refused: restore job ${busy.jobId} of snapshot "${busy.snapshot}" is already writing into ${describe(target)} (${busy.state}, ${busy.progress}%); nothing was started or dropped.`,
      FailureType.TargetRestoreInProgress,
    );
  }
  throw ApplicationFailure.nonRetryable(
    `Restore refused: target collection ${describe(target)} already exists; restore into a new collection name or drop it first. Nothing was started or dropped.`,
    FailureType.TargetCollectionExists,
  );
}

/** What starting one restore job takes; built only when no earlier attempt recorded a job. */
export interface RestoreJobStart {
  target: CollectionRef;
  /** Whether a job into the target is this run's (an earlier attempt of it started it). */
  ours: (job: RestoreJobInfo) => boolean;
  /** Sends the one start RPC (RestoreSnapshot or RestoreExternalSnapshot). */
  start: () => Promise<{ jobId: string }>;
}

/**
 * Starts a restore job exactly once per run, in one idempotent activity so a retry after a crash
 * re-checks before acting: a job id recorded by an earlier attempt (heartbeat) is adopted; an
 * existing target is adopted when a job of this run created it and refused otherwise; a missing
 * target gets exactly one start call, whose job id is recorded at once (heartbeat and a signal to
 * the workflow). Once the job id is known the worker's keep-alive (heartbeat.ts) repeats it.
 */
export async function startRestoreJobOnce(
  gateway: MilvusGateway,
  plan: () => RestoreJobStart,
): Promise<StartedRestore> {
  const checkpoint: Partial<RestoreJobStarted> = { ...previousHeartbeat<Partial<RestoreJobStarted>>() };
  if (checkpoint.jobId) {
    return adoptRecorded(gateway, { jobId: checkpoint.jobId, startTime: checkpoint.startTime ?? 0 });
  }
  const { target, ours, start } = plan();
  if (await gateway.hasCollection(target)) return adoptOrRefuse(gateway, target, ours);
  const startTime = Date.now();
  let jobId: string;
  try {
    ({ jobId } = await start());
  } catch (err) {
    // A start call an earlier attempt sent (its worker died meanwhile) created the target.
    if (isMilvusError(err) && err.kind === 'AlreadyExists') return adoptOrRefuse(gateway, target, ours);
    throw err;
  }
  Object.assign(checkpoint, { jobId, startTime });
  heartbeat(checkpoint);
  await signalOwnWorkflow(restoreJobStartedSignal, { jobId, startTime });
  return { jobId, adopted: false, state: 'Pending', startTime };
}

/** Steps 2 and 3 of a restore: one RestoreSnapshot of this snapshot into the target, or adoption. */
export function createStartRestoreActivities(gateway: MilvusGateway) {
  return {
    async startOrAdoptRestoreJob(input: StartRestoreInput): Promise<StartedRestore> {
      return startRestoreJobOnce(gateway, () => ({
        target: { db: input.targetDb, collection: input.targetCollection },
        ours: (job) => isOurs(job, input),
        start: () => gateway.restoreSnapshot(input),
      }));
    },
  };
}

export interface RestoreSnapshotDescription {
  info: SnapshotInfo;
  /** Rows the snapshot holds, as the backup workflow recorded them in the description, if it did. */
  markerRows?: number;
}

/** Step 1 of a restore: the snapshot must exist (SnapshotNotFound is non-retryable). */
export function createDescribeRestoreSnapshotActivities(gateway: MilvusGateway) {
  return {
    async describeRestoreSnapshot(ref: SnapshotRef): Promise<RestoreSnapshotDescription> {
      const info = await gateway.describeSnapshot(ref);
      return { info, markerRows: parseSnapshotMarker(info.description)?.rows };
    },
  };
}
