import { clusterField, durationMs, durationMsIfValid, durationString } from './input-fields';
import { backupExportSchema, type ExportResult } from './export';
import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import { collectionName, dbName, DEFAULT_DB, snapshotName } from '../milvus/names';
import { parseInput } from './parse-input';
import { qualifiedName, scopedId, textField, type OperationDescriptor } from './operation';
import { protectionPolicySchema, type ProtectionOutcome } from './catalog';
import {
  DEFAULT_SNAPSHOT_NAME_TEMPLATE,
  resolveSnapshotName,
  templateProblem,
} from './snapshot-name-template';

const DEFAULT_FLUSH_TIMEOUT = '10m';
const MAX_FLUSH_TIMEOUT_MS = 24 * 3600_000;

/** Input of the backup workflow, shared by the workflow, the client and the CLI. */
export const backupInputSchema = z
  .object({
    cluster: clusterField,
    collection: collectionName.describe('collection to back up'),
    db: dbName.describe('database of the collection'),
    snapshot: snapshotName
      .optional()
      .describe('exact snapshot name; when absent the name comes from nameTemplate at the workflow time'),
    nameTemplate: z
      .string()
      .min(1)
      .default(DEFAULT_SNAPSHOT_NAME_TEMPLATE)
      .describe('snapshot name template: {collection}, {db} and UTC date patterns such as {yyyyMMdd_HHmmss}'),
    description: z.string().max(1024).default('').describe('human description stored with the snapshot'),
    flush: z
      .boolean()
      .default(true)
      .describe(
        'flush and wait for the flush before creating (without it the snapshot holds only flushed data)',
      ),
    flushTimeout: durationString
      .optional()
      .describe('how long to wait for the flush to complete, e.g. "10m" (default 10m, at most 24h)'),
    compactionProtection: durationString
      .optional()
      .describe(
        'keep compaction from rewriting the snapshot\'s segments for this long after creation, e.g. "1h" (whole seconds)',
      ),
    labels: z
      .record(
        z.string().regex(/^[A-Za-z0-9_.\-/]{1,63}$/, 'label keys: 1-63 of A-Z a-z 0-9 _ . - /'),
        z.string().max(256),
      )
      .default({})
      .describe(
        'labels recorded in the snapshot marker, so retention can select snapshots this project made',
      ),
    ifExists: z
      .enum(['fail', 'reuse'])
      .default('fail')
      .describe('when a snapshot of that name exists: fail before touching anything, or verify and reuse it'),
    verifyRowsByRestore: z
      .boolean()
      .default(false)
      .describe(
        'also restore the snapshot into a scratch collection, count its rows and drop it: the only way to learn the rows a snapshot holds (costs a restore)',
      ),
    export: backupExportSchema
      .optional()
      .describe('export the verified snapshot off-site with this storage profile (a child export workflow)'),
    protect: protectionPolicySchema
      .optional()
      .describe(
        'pin the newest verified snapshots so they survive an accidental DropCollection, e.g. {"pinNewest":2,"pinTtl":"30d"}; retention renews and rotates the pins',
      ),
  })
  .superRefine((input, ctx) => {
    const flushMs = durationMsIfValid(input.flushTimeout ?? DEFAULT_FLUSH_TIMEOUT);
    if (flushMs !== undefined && (flushMs <= 0 || flushMs > MAX_FLUSH_TIMEOUT_MS || flushMs % 1000 !== 0)) {
      const message = 'must be whole seconds, more than 0 and at most 24h';
      ctx.addIssue({ code: 'custom', path: ['flushTimeout'], message });
    }
    const protectionMs = durationMsIfValid(input.compactionProtection ?? '0s');
    if (protectionMs !== undefined && protectionMs % 1000 !== 0) {
      ctx.addIssue({ code: 'custom', path: ['compactionProtection'], message: 'must be whole seconds' });
    }
    if (input.snapshot) return;
    const problem = templateProblem(input.nameTemplate);
    if (problem) ctx.addIssue({ code: 'custom', path: ['nameTemplate'], message: problem });
  });

export type BackupInput = z.input<typeof backupInputSchema>;
export type ParsedBackupInput = z.output<typeof backupInputSchema>;

/**
 * The backup's steps in the order a run goes through them (steps an input does not ask for are
 * skipped): `catalog` records the verified snapshot in the collection's catalog, `protect` pins
 * (and rotates) the protected snapshots when `protect` is given, `export` is the off-site copy.
 */
export const BACKUP_STEPS = [
  'inspect',
  'flush',
  'count',
  'create',
  'verify',
  'restoreCount',
  'catalog',
  'protect',
  'export',
] as const;
export type BackupStep = (typeof BACKUP_STEPS)[number];

/** Milliseconds each step took; absent steps did not run (inspect and verify always run). */
export type BackupStepDurations = { [S in BackupStep]?: number } & {
  inspect: number;
  verify: number;
  total: number;
};

export interface BackupResult {
  snapshot: string;
  db: string;
  collection: string;
  /** Milvus's create_ts, epoch milliseconds, and as ISO text for people. */
  createTs: number;
  createdAt: string;
  /** Rows the snapshot was taken with (the count after the flush), from the marker when reused. */
  rowCount?: number;
  /** Rows counted in a scratch restore of the snapshot, when verifyRowsByRestore was on. */
  restoredRowCount?: number;
  flushed: boolean;
  /** True when an existing snapshot was verified instead of creating one (ifExists 'reuse'). */
  reused: boolean;
  labels: Record<string, string>;
  description: string;
  /** Every check verification made, in words. */
  checks: string[];
  durationsMs: BackupStepDurations;
  /** The off-site copy made by the `export` step (its bundle and where the catalog has it). */
  export?: BackupExportResult;
  /** DescribeSnapshot's s3_location, recorded in the catalog (how the snapshot is reached after a drop). */
  metadataUri?: string;
  /** What `protect` pinned, renewed and released. */
  protection?: ProtectionOutcome;
}

export type BackupExportResult = Pick<
  ExportResult,
  'profile' | 'jobId' | 'metadataUri' | 'totalFiles' | 'totalBytes' | 'alreadyExported'
>;

export interface BackupWorkflowIdParts {
  cluster?: string;
  db?: string;
  collection: string;
  snapshot: string;
}

/** Deterministic per (cluster, db, collection, snapshot): starting the same backup twice finds the running one. */
export function backupWorkflowId(parts: BackupWorkflowIdParts): string {
  return scopedId('backup', { cluster: parts.cluster, db: parts.db, name: parts.collection }, parts.snapshot);
}

/** The snapshot name of a backup: the explicit one, or the template at the given time (UTC). */
export function backupSnapshotName(input: ParsedBackupInput, at: Date): string {
  return (
    input.snapshot ??
    resolveSnapshotName(input.nameTemplate, { collection: input.collection, db: input.db, at })
  );
}

/**
 * A backup as a client starts it: the input validated (InputError naming each field), the
 * snapshot name fixed now so the workflow id can include it, and that id. Schedules skip this;
 * their runs name the snapshot from workflow time instead.
 */
export function prepareBackupStart(
  raw: unknown,
  now: Date = new Date(),
): { input: ParsedBackupInput; workflowId: string } {
  const input = backupDescriptor.prepareStart(parseInput(backupInputSchema, raw, 'backup input'), now);
  return { input, workflowId: backupDescriptor.workflowId(input) };
}

export interface BackupProgress {
  /** Known once the input is parsed and the name resolved. */
  snapshot?: string;
  /** The step running now, 'compensating' while a failed or cancelled run drops its snapshot, 'done' at the end. */
  step: BackupStep | 'starting' | 'compensating' | 'done';
  /** Durations of the steps finished so far (ms, workflow time). */
  durationsMs: Partial<BackupStepDurations>;
}

/** What the backup is doing right now (Temporal UI "Queries" tab, or the CLI). */
export const backupProgressQuery = defineQuery<BackupProgress>('backupProgress');

/** Seconds to wait for the flush (flushTimeout, default 10m). */
export function flushTimeoutSeconds(input: ParsedBackupInput): number {
  return durationMs(input.flushTimeout ?? DEFAULT_FLUSH_TIMEOUT) / 1000;
}

/** Seconds of compaction protection for Milvus, when asked for (compactionProtection). */
export function compactionProtectionSeconds(input: ParsedBackupInput): number | undefined {
  return input.compactionProtection === undefined ? undefined : durationMs(input.compactionProtection) / 1000;
}

/** A scheduled backup's name is fixed at run time: the template with what is known now. */
function nameFromTemplate(input: Record<string, unknown>): string {
  const template = textField(input.nameTemplate) ?? DEFAULT_SNAPSHOT_NAME_TEMPLATE;
  return template
    .replaceAll('{collection}', textField(input.collection) ?? '{collection}')
    .replaceAll('{db}', textField(input.db) ?? DEFAULT_DB);
}

export const backupDescriptor = {
  name: 'backup',
  workflowType: 'backupWorkflow',
  input: backupInputSchema,
  about: 'flush → create snapshot → verify (compensates on failure)',
  workflowId: (input) => backupWorkflowId({ ...input, snapshot: input.snapshot ?? '' }),
  prepareStart: (input, now) => ({ ...input, snapshot: backupSnapshotName(input, now) }),
  steps: ['starting', ...BACKUP_STEPS, 'done'],
  summary: (i) =>
    `backup ${qualifiedName(i.db, i.collection)} → ${textField(i.snapshot) ?? nameFromTemplate(i)}`,
  progress: backupProgressQuery,
  schedule: {
    scheduleId: (i) => scopedId('backup-schedule', { ...i, name: i.collection }),
    target: (i) => `${i.db}.${i.collection}`,
    refuse: {
      field: 'snapshot',
      rule: 'a schedule names each snapshot from nameTemplate; leave snapshot out',
    },
  },
} satisfies OperationDescriptor<typeof backupInputSchema, BackupProgress>;
