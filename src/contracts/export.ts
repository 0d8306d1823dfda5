import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import type { ExportState } from '../milvus/gateway';
import { collectionName, dbName, DEFAULT_DB, snapshotName } from '../milvus/names';
import { clusterField, durationString, profileField, searchAttributesField } from './input-fields';
import { scopedId, type OperationDescriptor } from './operation';

/**
 * Export a snapshot off-site: ExportSnapshot copies it and every file it references into a
 * self-contained bundle under the profile's target path; the job is waited on durably and the
 * bundle's metadata URI, file count and bytes go into the collection's catalog. A snapshot
 * exported with a profile before (per the catalog) is not exported again.
 */
export const exportInputSchema = z
  .object({
    cluster: clusterField,
    db: dbName.describe('database of the collection'),
    collection: collectionName.describe('collection the snapshot belongs to'),
    snapshot: snapshotName.describe('snapshot to export'),
    profile: profileField,
    timeout: durationString
      .default('12h')
      .describe(
        'give up after this long from the workflow start (Milvus itself fails an export job after 12 h)',
      ),
    pollInterval: durationString.default('5s').describe('how often the export job is polled at first'),
    maxPollInterval: durationString
      .default('1m')
      .describe('on long jobs the poll interval grows (10% of the time waited so far) up to this'),
    searchAttributes: searchAttributesField,
  })
  .describe('export a snapshot into an off-site bundle');

export type ExportInput = z.input<typeof exportInputSchema>;
export type ExportParams = z.output<typeof exportInputSchema>;

/** The backup's optional export step: the same export, of the snapshot the backup just verified. */
export const backupExportSchema = z.object({
  profile: profileField,
  timeout: durationString.default('12h').describe('give up on the export after this long'),
});

/** `export:<cluster/><db>.<collection>.<snapshot>@<profile>`: one export per snapshot and profile at a time. */
export function exportWorkflowId(
  input: Pick<ExportInput, 'cluster' | 'db' | 'collection' | 'snapshot' | 'profile'>,
): string {
  const name = `${input.collection}.${input.snapshot}@${input.profile}`;
  return scopedId('export', { cluster: input.cluster, db: input.db, name });
}

export type ExportPhase =
  'checking' | 'starting' | 'waiting' | 'recording' | 'completed' | 'failed' | 'cancelled' | 'timed-out';

/** Answer of `exportProgressQuery`: the job's state, progress and files as Milvus last reported them. */
export interface ExportProgress {
  phase: ExportPhase;
  jobId?: string;
  adopted?: boolean;
  state?: ExportState;
  /** 0–100 */
  progress: number;
  totalFiles?: number;
  copiedFiles?: number;
  /** The bundle's bytes: Milvus reports them only once the job completed. */
  totalBytes?: number;
  reason?: string;
  /** Workflow start, epoch ms. */
  startedAt: number;
  /** When the workflow last heard about the job, epoch ms. */
  updatedAt?: number;
}

/** The wait activity sends this when the job's state or progress step changes. */
export interface ExportJobUpdate {
  jobId: string;
  state: ExportState;
  progress: number;
  totalFiles: number;
  copiedFiles: number;
  observedAt: number;
}

/** Sent by the start activity the moment ExportSnapshot returns its job id. */
export interface ExportJobStarted {
  jobId: string;
  startTime: number;
}

export const exportProgressQuery = defineQuery<ExportProgress>('exportProgress');
export const exportJobProgressSignal = defineSignal<[ExportJobUpdate]>('exportJobProgress');
export const exportJobStartedSignal = defineSignal<[ExportJobStarted]>('exportJobStarted');

export interface ExportResult {
  cluster?: string;
  db: string;
  collection: string;
  snapshot: string;
  profile: string;
  jobId: string;
  /** True when a job an earlier attempt started was taken over. */
  adopted: boolean;
  /** True when the catalog already held a completed export with this profile: nothing was exported. */
  alreadyExported: boolean;
  /** The bundle's metadata URI (RestoreExternalSnapshot takes it). */
  metadataUri: string;
  totalFiles: number;
  totalBytes: number;
  /** Workflow start, epoch ms. */
  startedAt: number;
  /** Job seen Completed, epoch ms. */
  completedAt: number;
  /** Milvus's time_cost of the job. */
  milvusTimeCostMs: number;
}

export const exportDescriptor = {
  name: 'export',
  workflowType: 'exportWorkflow',
  input: exportInputSchema,
  about: 'export a snapshot off-site with a storage profile, wait durably, record the bundle in the catalog',
  workflowId: exportWorkflowId,
  progress: exportProgressQuery,
} satisfies OperationDescriptor<typeof exportInputSchema, ExportProgress>;
