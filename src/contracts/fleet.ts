import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import { dbName, DEFAULT_DB } from '../milvus/names';
import { backupDescriptor } from './backup';
import { drillDescriptor } from './drill';
import { exportDescriptor } from './export';
import { retentionDescriptor } from './retention';
import { unknownKeyIssues } from './parse-input';
import { scopedId, type OperationDescriptor } from './operation';

/** What a fleet can run on each collection; each is that operation's own workflow, as a child. */
export const FLEET_OPERATIONS = ['backup', 'retention', 'drill', 'export'] as const;
export type FleetOperation = (typeof FLEET_OPERATIONS)[number];

const OPERATION_SCHEMAS: Record<FleetOperation, z.ZodType> = {
  backup: backupDescriptor.input,
  retention: retentionDescriptor.input,
  drill: drillDescriptor.input,
  export: exportDescriptor.input,
};

/**
 * Milvus calls one collection's run can have in flight at once. Backup and retention (its
 * per-collection concurrency set to 1 by the fleet) make one call at a time; a drill's comparison
 * reads source and scratch side by side; an export reads the catalog, then starts and polls one job.
 * The fleet's window is maxConcurrency / this.
 */
export const CALLS_PER_COLLECTION: Record<FleetOperation, number> = {
  backup: 1,
  retention: 1,
  drill: 2,
  export: 1,
};

/** Option keys the fleet sets itself for each collection, and why a caller may not. */
const FLEET_SET: Record<FleetOperation, Record<string, string>> = {
  backup: { snapshot: 'each collection names its snapshot from nameTemplate' },
  retention: {
    collectionPattern: 'the fleet selects collections with its own collectionPattern',
    maxConcurrentDrops: 'set to 1 by the fleet, so maxConcurrency bounds its Milvus calls',
    describeConcurrency: 'set to 1 by the fleet, so maxConcurrency bounds its Milvus calls',
  },
  drill: { snapshot: 'each drill names its own snapshot' },
  export: { snapshot: 'each collection exports the newest verified snapshot in its catalog' },
};
const ALWAYS_SET = { db: 'set by the fleet (its db)', collection: 'set by the fleet (each collection)' };

/** What the fleet adds to the caller's options for one collection. */
export function fleetChildInput(
  operation: FleetOperation,
  options: Record<string, unknown>,
  ref: { db: string; collection: string },
): Record<string, unknown> {
  const forced = operation === 'retention' ? { maxConcurrentDrops: 1, describeConcurrency: 1 } : {};
  return { ...options, ...forced, ...ref };
}

/** A name the options are checked with before any collection is known. */
const SAMPLE_COLLECTION = 'fleet_options_check';

/**
 * One operation (backup, retention, drill or export) on every collection of a database, or on those
 * matching a pattern: one workflow (and one schedule) instead of one per collection.
 */
export const fleetInputSchema = z
  .object({
    operation: z
      .enum(FLEET_OPERATIONS)
      .describe(
        "what to run on each collection: backup, retention, drill or export (of the newest verified snapshot in the collection's catalog)",
      ),
    db: dbName.describe('database whose collections the fleet covers'),
    collectionPattern: z
      .string()
      .regex(/^[A-Za-z0-9_*?]+$/, 'letters, digits, _ and the wildcards * and ?')
      .default('*')
      .describe('collections to cover, e.g. "items_*" (default every collection; scratch collections never)'),
    options: z
      .record(z.string(), z.unknown())
      .default({})
      .describe(
        'the operation\'s input for every collection, without db and collection, e.g. {"policy":{"keepDaily":7}} for retention, {"profile":"offsite"} for export',
      ),
    maxConcurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe(
        'Milvus calls the fleet may have in flight at once: collections run in a sliding window of this size (half of it for drills, whose comparison makes two calls at once)',
      ),
    collectionsPerRun: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(200)
      .describe('collections finished per workflow run before continuing as new (keeps the history small)'),
  })
  .superRefine((input, ctx) => {
    const forbidden = { ...ALWAYS_SET, ...FLEET_SET[input.operation] };
    for (const key of Object.keys(input.options)) {
      const rule = forbidden[key as keyof typeof forbidden];
      if (rule) ctx.addIssue({ code: 'custom', path: ['options', key], message: rule });
    }
    if (input.maxConcurrency < CALLS_PER_COLLECTION[input.operation]) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxConcurrency'],
        message: `at least ${CALLS_PER_COLLECTION[input.operation]} for a ${input.operation} fleet (one collection's calls in flight)`,
      });
    }
    if (input.operation === 'drill' && input.options.source === 'latest') {
      ctx.addIssue({
        code: 'custom',
        path: ['options', 'source'],
        message:
          "a fleet drill takes a fresh backup: 'latest' describes every snapshot at once, beyond maxConcurrency",
      });
    }
    const schema = OPERATION_SCHEMAS[input.operation];
    const child = fleetChildInput(input.operation, input.options, {
      db: input.db,
      collection: SAMPLE_COLLECTION,
    });
    const issues = [
      ...unknownKeyIssues(schema, child).map((i) => ({ path: i.field.split('.'), message: i.rule })),
      ...(schema.safeParse(child).error?.issues ?? []),
    ];
    for (const issue of issues) {
      const [first] = issue.path;
      if (first === 'db' || first === 'collection' || (first !== undefined && String(first) in forbidden)) {
        continue; // reported above, or the fleet's own field
      }
      ctx.addIssue({ code: 'custom', path: ['options', ...issue.path.map(String)], message: issue.message });
    }
  });

export type FleetInput = z.input<typeof fleetInputSchema>;
export type ParsedFleetInput = z.output<typeof fleetInputSchema>;

/** `fleet:<operation>:<cluster/><db>.<pattern>`: one fleet per operation and selection runs at a time. */
export function fleetWorkflowId(input: {
  operation: FleetOperation;
  db?: string;
  collectionPattern?: string;
  options?: Record<string, unknown>;
}) {
  return scopedId(`fleet:${input.operation}`, fleetScope(input));
}

/** The few facts per collection a fleet keeps (the child's own result is in its history). */
export type FleetCollectionDetail =
  | { operation: 'backup'; snapshot: string; rowCount?: number; reused: boolean }
  | {
      operation: 'retention';
      snapshots: number;
      kept: number;
      dropped: number;
      wouldDrop: number;
      failedDrops: number;
    }
  | {
      operation: 'drill';
      outcome: 'pass' | 'fail';
      rtoMs: number | null;
      rpoMs: number | null;
      reasons: string[];
    }
  | {
      operation: 'export';
      snapshot: string;
      metadataUri: string;
      totalFiles: number;
      totalBytes: number;
      /** The catalog already held an export of the snapshot with this profile: nothing was copied. */
      alreadyExported: boolean;
    };

export interface FleetCollectionSummary {
  collection: string;
  /** The child workflow that did the work (open it in the UI for the full result); none when skipped. */
  workflowId?: string;
  /**
   * 'failed': the child failed, or a drill's outcome was 'fail'. 'skipped': nothing to do, not a
   * failure (an export fleet's collection without a verified snapshot in its catalog).
   */
  status: 'done' | 'failed' | 'skipped';
  /** The innermost failure's type and message, when failed. */
  error?: { type: string; message: string };
  /** Why nothing was run, when skipped. */
  reason?: string;
  detail?: FleetCollectionDetail;
  /** Workflow time from the child's start to its end. */
  durationMs: number;
}

export interface FleetResult {
  operation: FleetOperation;
  db: string;
  collectionPattern: string;
  /** One per matched collection, in name order. */
  collections: FleetCollectionSummary[];
  /** `skipped` only in export fleets (the one operation that skips a collection). */
  totals: { collections: number; done: number; failed: number; skipped?: number };
  /** Workflow runs the fleet took (more than 1 when it continued as new). */
  runs: number;
  startedAt: string;
  finishedAt: string;
}

export interface FleetProgress {
  operation: FleetOperation;
  /** Matched collections (known once listed). */
  collections?: number;
  done: number;
  failed: number;
  /** Collections with nothing to export (absent from runs of workers before export fleets). */
  skipped?: number;
  running: string[];
}

/** Where the fleet is (Temporal UI "Queries" tab, or the CLI's status). */
export const fleetProgressQuery = defineQuery<FleetProgress>('fleetProgress');

/** A fleet runs on the cluster its options name (absent: the worker's default). */
function fleetScope(input: { db?: string; collectionPattern?: string; options?: Record<string, unknown> }) {
  const cluster = typeof input.options?.cluster === 'string' ? input.options.cluster : undefined;
  return { cluster, db: input.db, name: input.collectionPattern ?? '*' };
}

export const fleetDescriptor = {
  name: 'fleet',
  workflowType: 'fleetWorkflow',
  input: fleetInputSchema,
  about:
    'one operation (--operation backup|retention|drill|export) on every collection matching --collection-pattern, --max-concurrency Milvus calls at once',
  workflowId: fleetWorkflowId,
  progress: fleetProgressQuery,
  schedule: {
    scheduleId: (i) => scopedId(`fleet-schedule:${i.operation}`, fleetScope(i)),
    target: (i) => `${i.db}.${i.collectionPattern}`,
  },
} satisfies OperationDescriptor<typeof fleetInputSchema, FleetProgress>;
