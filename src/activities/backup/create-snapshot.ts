import { ApplicationFailure } from '@temporalio/common';
import { isMilvusError } from '../../milvus/errors';
import type { MilvusGateway, SnapshotInfo, SnapshotRef } from '../../milvus/gateway';
import {
  formatSnapshotDescription,
  isMadeByRun,
  parseSnapshotMarker,
  type RunIdentity,
  type SnapshotMarker,
} from '../../contracts/snapshot-marker';
import { FailureType } from '../../contracts/failures';

export type ExistingSnapshot =
  { exists: false } | { exists: true; info: SnapshotInfo; marker?: SnapshotMarker; madeByRun: boolean };

export interface CreateSnapshotActivityInput extends SnapshotRef {
  /** Human text; the marker is appended. */
  description: string;
  labels: Record<string, string>;
  /** Rows the snapshot is taken with, recorded in the marker. */
  rows?: number;
  flushed: boolean;
  compactionProtectionSeconds?: number;
  run: RunIdentity;
}

export interface CreateSnapshotActivityResult {
  /** False when an earlier attempt of this run had already created it (idempotent retry). */
  created: boolean;
  description: string;
}

function refOf(input: SnapshotRef): SnapshotRef {
  return { db: input.db, collection: input.collection, snapshot: input.snapshot };
}

export function createCreateSnapshotActivities(gateway: MilvusGateway) {
  async function inspect(ref: SnapshotRef, run?: RunIdentity): Promise<ExistingSnapshot> {
    try {
      const info = await gateway.describeSnapshot(ref);
      const marker = parseSnapshotMarker(info.description);
      return { exists: true, info, marker, madeByRun: run ? isMadeByRun(marker, run) : false };
    } catch (err) {
      if (isMilvusError(err) && err.kind === 'SnapshotNotFound') return { exists: false };
      throw err;
    }
  }

  return {
    /** Whether the snapshot exists, and whether this project (or this very run) made it. */
    async inspectSnapshot(input: SnapshotRef & { run?: RunIdentity }): Promise<ExistingSnapshot> {
      return inspect(refOf(input), input.run);
    },

    /**
     * Creates the snapshot at most once per run: when Milvus says it already exists and its marker
     * names this run, an earlier attempt created it (its reply was lost, or the worker died) and
     * this attempt succeeds without creating another. Anyone else's snapshot is a clear failure.
     */
    async createSnapshot(input: CreateSnapshotActivityInput): Promise<CreateSnapshotActivityResult> {
      const ref = refOf(input);
      const description = formatSnapshotDescription(input.description, {
        labels: input.labels,
        rows: input.rows,
        flushed: input.flushed,
        workflowId: input.run.workflowId,
        runId: input.run.runId,
      });
      try {
        await gateway.createSnapshot({
          ...ref,
          description,
          compactionProtectionSeconds: input.compactionProtectionSeconds,
        });
        return { created: true, description };
      } catch (err) {
        if (!(isMilvusError(err) && err.kind === 'AlreadyExists')) throw err;
        const existing = await inspect(ref, input.run);
        if (existing.exists && existing.madeByRun)
          return { created: false, description: existing.info.description };
        throw ApplicationFailure.nonRetryable(
          `snapshot ${ref.snapshot} of ${ref.db}.${ref.collection} already exists and was not made by this run (${err.message})`,
          FailureType.SnapshotAlreadyExists,
        );
      }
    },
  };
}
