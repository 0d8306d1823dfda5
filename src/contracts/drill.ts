import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import type { DrillStep, DrillStepName } from '../drill/report';
import { collectionName, dbName, DEFAULT_DB, milvusName, snapshotName } from '../milvus/names';

/**
 * A disaster-recovery drill: back up (or take the newest verified snapshot), restore it into a
 * scratch collection, verify the scratch against the snapshot, measure RPO and RTO against the
 * objectives, always drop the scratch collection, report.
 */
export const drillInputSchema = z
  .object({
    db: dbName,
    collection: collectionName.describe('collection to drill: its snapshot is restored and verified'),
    source: z
      .enum(['backup', 'latest'])
      .default('backup')
      .describe(
        "'backup' takes a fresh verified backup first; 'latest' restores the newest verified snapshot of the collection",
      ),
    snapshot: snapshotName
      .optional()
      .describe("with source 'backup': name of the snapshot to create (default: generated from the time)"),
    scratchDb: milvusName
      .optional()
      .describe(
        "database of the scratch collection the snapshot is restored into (default: the collection's)",
      ),
    sampleSize: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(200)
      .describe('primary keys compared row by row (vectors and scalars) between scratch and source'),
    maxKeysScanned: z
      .number()
      .int()
      .min(1)
      .max(16_384)
      .default(16_384)
      .describe('at most this many primary keys of the source are read to draw the sample from'),
    rtoObjectiveMs: z
      .number()
      .int()
      .positive()
      .default(15 * 60_000)
      .describe('recovery time objective: restore started → scratch verified, milliseconds'),
    rpoObjectiveMs: z
      .number()
      .int()
      .positive()
      .default(24 * 60 * 60_000)
      .describe('recovery point objective: age of the restored snapshot at restore start, milliseconds'),
    restoreTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(60 * 60_000)
      .describe('give up on the restore after this long (the drill then fails and cleans up)'),
    restorePollIntervalMs: z
      .number()
      .int()
      .min(50)
      .default(1000)
      .describe('how often the restore job is polled: the measured RTO is at most this much late'),
  })
  .describe('disaster-recovery drill');

export type DrillInput = z.input<typeof drillInputSchema>;
export type DrillParams = z.output<typeof drillInputSchema>;

/** Scratch collections carry this prefix; the cleanup refuses to drop anything else. */
export const SCRATCH_PREFIX = 'drill_scratch_';

/** `drill:<db>.<collection>:<unique>` — unique per run (a time stamp, a uuid, a schedule's id). */
export function drillWorkflowId(input: Pick<DrillInput, 'db' | 'collection'>, unique: string): string {
  return `drill:${input.db ?? DEFAULT_DB}.${input.collection}:${unique}`;
}

/** `drill_scratch_<collection>_<suffix>`, cut to Milvus's 255-character limit keeping the suffix. */
export function scratchCollectionName(collection: string, suffix: string): string {
  const clean = suffix.replace(/[^A-Za-z0-9_]/g, '').slice(0, 12);
  const head = `${SCRATCH_PREFIX}${collection}`.slice(0, 255 - clean.length - 1);
  return `${head}_${clean}`;
}

export function isScratchCollectionName(name: string): boolean {
  return name.startsWith(SCRATCH_PREFIX);
}

/** `<collection>_drill_<yyyyMMdd_HHmmss>_<suffix>`: descriptive, and unique when two drills start in the same second. */
export function drillSnapshotName(collection: string, atMs: number, suffix: string): string {
  const stamp = new Date(atMs).toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  const clean = suffix.replace(/[^A-Za-z0-9_]/g, '').slice(0, 6);
  const tail = `_drill_${stamp}_${clean}`;
  return `${collection.slice(0, 255 - tail.length)}${tail}`;
}

/** What the drill is doing, for progress output (the CLI, the main job) and the Temporal UI. */
export interface DrillProgress {
  step: DrillStepName | 'done';
  scratch: { db: string; collection: string };
  snapshot?: string;
  /** Child workflow ids, so callers can query the restore's own progress. */
  backupWorkflowId?: string;
  restoreWorkflowId?: string;
  steps: DrillStep[];
}

export const drillProgressQuery = defineQuery<DrillProgress>('drillProgress');
