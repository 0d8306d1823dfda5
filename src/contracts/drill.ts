import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import type { DrillStep, DrillStepName } from '../drill/report';
import { collectionName, dbName, DEFAULT_DB, milvusName, snapshotName } from '../milvus/names';
import { clusterField, durationMs, durationMsIfValid, durationString } from './input-fields';
import { qualifiedName, scopedId, type OperationDescriptor } from './operation';

/** The drill's durations and their defaults. */
const DRILL_DURATION_DEFAULTS = {
  rtoObjective: '15m',
  rpoObjective: '24h',
  restoreTimeout: '1h',
  restorePollInterval: '1s',
} as const;
type DrillDuration = keyof typeof DRILL_DURATION_DEFAULTS;
const DRILL_DURATIONS = Object.keys(DRILL_DURATION_DEFAULTS) as DrillDuration[];

/**
 * A disaster-recovery drill: back up (or take the newest verified snapshot), restore it into a
 * scratch collection, verify the scratch against the snapshot, measure RPO and RTO against the
 * objectives, always drop the scratch collection, report.
 */
export const drillInputSchema = z
  .object({
    cluster: clusterField,
    db: dbName,
    collection: collectionName.describe('collection to drill: its snapshot is restored and verified'),
    source: z
      .enum(['backup', 'latest', 'bundle'])
      .default('backup')
      .describe(
        "'backup' takes a fresh verified backup first; 'latest' restores the newest verified snapshot of the collection; 'bundle' restores the newest exported off-site bundle in the catalog into drCluster (the cluster-loss drill)",
      ),
    disaster: z
      .enum(['dropped-collection'])
      .optional()
      .describe(
        "'dropped-collection': after the scratch restore, back the scratch up with protection, drop it, recover it through its catalog and compare the recovered collection with the source (the production collection is never touched)",
      ),
    drCluster: clusterField.describe(
      'cluster the scratch collection is restored into (default: cluster); with source "bundle" this is the cluster that survives the loss',
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
    rtoObjective: durationString
      .optional()
      .describe('recovery time objective: restore started → scratch verified, e.g. "15m" (default)'),
    rpoObjective: durationString
      .optional()
      .describe(
        'recovery point objective: age of the restored snapshot at restore start, e.g. "24h" (default)',
      ),
    restoreTimeout: durationString
      .optional()
      .describe(
        'give up on the restore after this long (the drill then fails and cleans up), e.g. "1h" (default)',
      ),
    restorePollInterval: durationString
      .optional()
      .describe(
        'how often the restore job is polled: the measured RTO is at most this much late, e.g. "1s" (default; at least 50ms)',
      ),
  })
  .superRefine((input, ctx) => {
    // The dropped-collection drill backs up, drops and recovers its scratch on the default cluster only.
    if (input.disaster && (input.cluster || input.drCluster || input.source === 'bundle'))
      ctx.addIssue({
        code: 'custom',
        path: ['disaster'],
        message: "'dropped-collection' runs on the default cluster: no cluster, drCluster or source 'bundle'",
      });
    for (const field of DRILL_DURATIONS) {
      const ms = durationMsIfValid(input[field] ?? DRILL_DURATION_DEFAULTS[field]);
      const min = field === 'restorePollInterval' ? 50 : 1;
      if (ms !== undefined && (!Number.isInteger(ms) || ms < min)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `must be whole milliseconds, at least ${min}ms`,
        });
      }
    }
  })
  .describe('disaster-recovery drill');

export type DrillInput = z.input<typeof drillInputSchema>;
export type DrillParams = z.output<typeof drillInputSchema>;

/** Scratch collections carry this prefix; the cleanup refuses to drop anything else. */
export const SCRATCH_PREFIX = 'drill_scratch_';

/** `drill:<db>.<collection>:<unique>` — unique per run (a time stamp, a uuid, a schedule's id). */
export function drillWorkflowId(
  input: Pick<DrillInput, 'cluster' | 'db' | 'collection'>,
  unique: string,
): string {
  return scopedId('drill', { cluster: input.cluster, db: input.db, name: input.collection }, unique);
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

/** The drill's durations in ms, from the duration fields or the older …Ms ones. */
export function drillDurationsMs(input: DrillParams) {
  const ms = (field: DrillDuration) => durationMs(input[field] ?? DRILL_DURATION_DEFAULTS[field]);
  return {
    rtoObjectiveMs: ms('rtoObjective'),
    rpoObjectiveMs: ms('rpoObjective'),
    restoreTimeoutMs: ms('restoreTimeout'),
    restorePollIntervalMs: ms('restorePollInterval'),
  };
}

export const drillDescriptor = {
  name: 'drill',
  workflowType: 'drillWorkflow',
  input: drillInputSchema,
  about: 'disaster-recovery drill: backup → restore to scratch → verify → RTO/RPO → cleanup → report',
  workflowId: drillWorkflowId,
  summary: (i) =>
    `drill ${qualifiedName(i.db, i.collection)} ${i.source === 'latest' ? 'from the newest verified snapshot' : 'from a fresh backup'}`,
  progress: drillProgressQuery,
  schedule: {
    scheduleId: (i) => scopedId('drill-schedule', { ...i, name: i.collection }),
    target: (i) => `${i.db}.${i.collection}`,
    refuse: { field: 'snapshot', rule: 'each scheduled drill names its own snapshot; leave snapshot out' },
  },
} satisfies OperationDescriptor<typeof drillInputSchema, DrillProgress>;
