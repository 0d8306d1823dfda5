import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { collectionName, dbName } from '../milvus/names';
import { durationMs, durationString } from './input-fields';
import { scopedId, type OperationDescriptor } from './operation';

/**
 * The snapshot catalog: what a backup verified, kept outside Milvus. Milvus 3.0 drops a
 * collection's snapshots with it (rootcoord ddl_callbacks_drop_collection.go → datacoord
 * DropSnapshotsByCollection) and afterwards resolves every snapshot call by collection name, so a
 * pinned snapshot that survived can only be reached through its metadata URI
 * (RestoreExternalSnapshot). The catalog keeps that URI, with the row count and the pin, in one
 * long-running workflow per collection (continue-as-new), so it outlives the drop and Temporal's
 * retention of closed workflows.
 */

/** Milvus refuses a pin ttl_seconds above 30 days (internal/proxy/task_snapshot.go pinSnapshotDataTask, maxPinTTLSeconds). */
export const MAX_PIN_TTL_MS = 30 * 24 * 3600_000;

/** A pin this worker made (protection); pins it did not make are never in the catalog. */
export interface CatalogPin {
  /** Milvus's pin id (int64 as a decimal string). */
  id: string;
  /** When it was made, epoch ms. */
  pinnedAt: number;
  /** When Milvus lets it lapse, epoch ms; null = until unpinned (ttl 0). */
  expiresAt: number | null;
}

/** An off-site copy of the snapshot (issue 14: ExportSnapshot completed). */
export interface CatalogExport {
  /** The storage profile the bundle was written with (never its keys). */
  profile: string;
  /** Milvus's export job id. */
  jobId: string;
  /** The bundle's metadata URI, for RestoreExternalSnapshot. */
  metadataUri: string;
  totalFiles: number;
  totalBytes: number;
  /** Export job seen Completed, epoch ms. */
  completedAt: number;
}

/** One verified snapshot. Keyed by `snapshot` within its catalog (one catalog per collection and cluster). */
export interface CatalogEntry {
  /**
   * The cluster the backup ran on (the worker's configured name): its storage holds the pinned
   * snapshot, so recovery runs there. Absent = the worker's default (first) cluster, as in entries
   * recorded before clusters were named.
   */
  cluster?: string;
  db: string;
  collection: string;
  snapshot: string;
  /** Milvus's create_ts, epoch ms (a lower bound on the data it holds). */
  createTs: number;
  /** Rows the snapshot holds (the backup's count after the flush); null when unknown. */
  rowCount: number | null;
  /**
   * DescribeSnapshot's s3_location: a full `minio://host/bucket/key` URI on newer servers, an
   * object key under the root path on older ones; RestoreExternalSnapshot takes either.
   */
  metadataUri: string;
  /** The backup verified it, epoch ms. */
  verifiedAt: number;
  /** The workflow that verified it. */
  recordedBy: { workflowId: string; runId: string };
  /** The protection pin this worker holds on it, if any. */
  pin?: CatalogPin;
  /** Retention dropped the snapshot (the entry stays, for the record), epoch ms. */
  droppedAt?: number;
  /** The newest completed off-site export of it. */
  export?: CatalogExport;
}

/** A change to the catalog. Each sets a value, so applying one twice is the same as once. */
export type CatalogChange =
  /** A backup verified the snapshot (a re-recorded entry keeps its pin and export). */
  | { kind: 'verified'; entry: CatalogEntry }
  /** Protection pinned it (a renewal replaces the older pin, which is then unpinned). */
  | { kind: 'pinned'; snapshot: string; pin: CatalogPin }
  /** The pin was released (rotated out, recovered, or expired); only when `pinId` is the current pin. */
  | { kind: 'unpinned'; snapshot: string; pinId: string }
  /** Retention dropped the snapshot. */
  | { kind: 'dropped'; snapshot: string; at: number }
  /** An export of it completed. */
  | { kind: 'exported'; snapshot: string; export: CatalogExport }
  /** The protection policy the last backup applied (retention renews by it). */
  | { kind: 'protection'; policy: ProtectionPolicy };

/** Sent (signalWithStart) by the activities that record into the catalog. */
export const catalogChangeSignal = defineSignal<[CatalogChange]>('catalogChange');

export interface CatalogState {
  db: string;
  collection: string;
  /** Newest first (create_ts, then name). */
  entries: CatalogEntry[];
  /** The protection policy last applied by a backup of this collection. */
  protection?: ProtectionPolicy;
  /** Changes applied by this catalog since it began (across continue-as-new). */
  changes: number;
}

/** The whole catalog of one collection; free (no history events), answered after the drop too. */
export const catalogQuery = defineQuery<CatalogState>('catalog');

/**
 * Ending a catalog (`catalogCloseUpdate`). A catalog is the only record of two ways back: pins that
 * still hold (Milvus keeps a dropped collection's snapshot only while pinned, and only its metadata
 * URI reaches it) and off-site bundles (only the catalog knows their URIs). It closes when it
 * records neither, or when forced; a later backup of the collection starts a new, empty catalog.
 */
export const catalogCloseInputSchema = z
  .object({
    force: z
      .boolean()
      .default(false)
      .describe('close even though pins still hold or bundles are recorded (their records are then gone)'),
    reason: z.string().max(200).optional().describe("why, kept in the closed catalog's history"),
  })
  .describe('close the catalog of a collection nobody backs up any more');

export type CatalogCloseInput = z.input<typeof catalogCloseInputSchema>;

/** What a closed catalog left: entries whose pin still held, and entries with an off-site bundle. */
export interface CatalogCloseResult {
  db: string;
  collection: string;
  forced: boolean;
  entries: number;
  livePins: { snapshot: string; pinId: string; expiresAt: number | null }[];
  bundles: { snapshot: string; metadataUri: string }[];
}

/** Completes the catalog workflow; its validator refuses (CatalogStillProtects) unless the rule allows. */
export const catalogCloseUpdate = defineUpdate<CatalogCloseResult, [CatalogCloseInput]>('catalogClose');

/**
 * `catalog:<cluster/>db.collection`: one catalog per collection and cluster, whether or not the
 * collection exists. Like run and schedule ids (scopedId), the `<cluster>/` segment is there only
 * for a named non-default cluster; pass `cluster` through `catalogCluster` first when the worker's
 * default name is known (activities), so that naming the default cluster and naming none agree.
 */
export function catalogWorkflowId(ref: { cluster?: string; db?: string; collection: string }): string {
  return scopedId('catalog', { cluster: ref.cluster, db: ref.db, name: ref.collection });
}

/**
 * The cluster a catalog id names, decided here once: none (the default cluster's catalog) when the
 * input names no cluster or names the worker's default (first) cluster; else the named cluster.
 */
export function catalogCluster(cluster: string | undefined, defaultCluster: string): string | undefined {
  return cluster === undefined || cluster === '' || cluster === defaultCluster ? undefined : cluster;
}

/** The cluster of a catalog id `catalog:<cluster>/<db>.<collection>` for that db.collection; undefined for another id or the default's. */
export function clusterOfCatalogId(
  workflowId: string,
  ref: { db?: string; collection: string },
): string | undefined {
  const tail = `/${ref.db ?? 'default'}.${ref.collection}`;
  if (!workflowId.startsWith('catalog:') || !workflowId.endsWith(tail)) return undefined;
  const cluster = workflowId.slice('catalog:'.length, -tail.length);
  return cluster !== '' && !cluster.includes('/') && !cluster.includes(':') ? cluster : undefined;
}

export const protectionPolicySchema = z
  .object({
    pinNewest: z
      .number()
      .int()
      .min(0)
      .max(16)
      .describe(
        'pin this many of the newest verified snapshots so they survive a DropCollection (0: pin none)',
      ),
    pinTtl: durationString
      .default('30d')
      .refine((v) => durationMs(v) % 1000 === 0 && durationMs(v) <= MAX_PIN_TTL_MS, {
        message: 'must be whole seconds and at most 30d (Milvus\'s limit), or 0 for "until unpinned"',
      })
      .describe(
        'how long each pin holds, e.g. "30d" (at most 30d; 0 = until unpinned); retention renews pins when less than half of it remains',
      ),
  })
  .describe('protect the newest verified snapshots against an accidental DropCollection');

export type ProtectionPolicy = z.output<typeof protectionPolicySchema>;

/** What one protection pass did (a backup with `protect`, or retention). */
export interface ProtectionOutcome {
  /** The policy applied, or none when the catalog has none (nothing was touched). */
  policy?: ProtectionPolicy;
  pinned: string[];
  renewed: string[];
  unpinned: string[];
  /** Snapshots protection could not pin, and why (e.g. dropped by hand). */
  skipped: { snapshot: string; reason: string }[];
}

/** Input of `catalogWorkflow`; `state` carries the catalog across continue-as-new. */
export const catalogInputSchema = z
  .object({
    db: dbName.describe('database of the collection'),
    collection: collectionName.describe('collection the catalog is for'),
    changesPerRun: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(500)
      .describe('changes applied per run before continuing as new (keeps each history small)'),
    state: z
      .custom<CatalogState>((v) => typeof v === 'object' && v !== null)
      .optional()
      .describe('the catalog carried over from the previous run (continue-as-new)'),
  })
  .describe('the snapshot catalog of one collection (long-running)');

export type CatalogInput = z.input<typeof catalogInputSchema>;

export const catalogDescriptor = {
  name: 'catalog',
  workflowType: 'catalogWorkflow',
  input: catalogInputSchema,
  about: 'the snapshot catalog of one collection (long-running; started by the backups that record in it)',
  workflowId: catalogWorkflowId,
  progress: catalogQuery,
} satisfies OperationDescriptor<typeof catalogInputSchema, CatalogState>;
