import { ApplicationFailure } from '@temporalio/common';
import type { MilvusGateway, RestoreJobInfo, RestoreState } from '../../milvus/gateway';
import { isRestoreJobFinished } from '../../milvus/restore-job';
import { FailureType } from '../../contracts/failures';
import { heartbeat, previousHeartbeat } from '../heartbeat';

export interface StartRestoreInput {
  snapshot: string;
  sourceDb: string;
  sourceCollection: string;
  targetDb: string;
  targetCollection: string;
  /**
   * Jobs of this snapshot and target that started at or after this time (epoch ms, the workflow's
   * start) belong to this run: a crashed earlier attempt of it started them, whatever their state.
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

function isOurs(job: RestoreJobInfo, input: StartRestoreInput): boolean {
  if (job.snapshot !== input.snapshot) return false;
  return !isRestoreJobFinished(job.state) || job.startTime >= input.notBeforeMs - CLOCK_SKEW_MS;
}

function adopt(job: RestoreJobInfo): StartedRestore {
  return { jobId: job.jobId, adopted: true, state: job.state, startTime: job.startTime };
}

function newest(jobs: RestoreJobInfo[]): RestoreJobInfo | undefined {
  return [...jobs].sort((a, b) => b.startTime - a.startTime || Number(BigInt(b.jobId) - BigInt(a.jobId)))[0];
}

/**
 * Steps 2 and 3 of a restore, in one idempotent activity so a retry after a crash re-checks
 * before acting: adopt a job for (snapshot, target) that an earlier attempt started; refuse when
 * the target exists or another restore is writing into it; otherwise start exactly one job.
 */
export function createStartRestoreActivities(gateway: MilvusGateway) {
  return {
    async startOrAdoptRestoreJob(input: StartRestoreInput): Promise<StartedRestore> {
      const target = { db: input.targetDb, collection: input.targetCollection };
      // The job id an earlier attempt of this activity recorded right after starting a job.
      const recorded = previousHeartbeat<{ jobId?: string }>()?.jobId;
      if (recorded) return adopt(await gateway.getRestoreState(recorded));

      const jobs = (await gateway.listRestoreJobs(target)).filter(
        (j) => j.db === target.db && j.collection === target.collection,
      );
      const ours = newest(jobs.filter((j) => isOurs(j, input)));
      if (ours) return adopt(ours);

      const busy = jobs.find((j) => !isRestoreJobFinished(j.state));
      if (busy) {
        throw ApplicationFailure.nonRetryable(
          `Restore refused: restore job ${busy.jobId} of snapshot "${busy.snapshot}" is already writing into ${target.db}.${target.collection} (${busy.state}, ${busy.progress}%); nothing was started or dropped.`,
          FailureType.TargetRestoreInProgress,
        );
      }
      if (await gateway.hasCollection(target)) {
        throw ApplicationFailure.nonRetryable(
          `Restore refused: target collection ${target.db}.${target.collection} already exists; restore into a new collection name or drop it first. Nothing was started or dropped.`,
          FailureType.TargetCollectionExists,
        );
      }

      const startedAt = Date.now();
      const { jobId } = await gateway.restoreSnapshot(input);
      heartbeat({ jobId });
      return { jobId, adopted: false, state: 'Pending', startTime: startedAt };
    },
  };
}
