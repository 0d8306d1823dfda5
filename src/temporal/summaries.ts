/**
 * One-line summaries the Temporal UI shows for a run ("backup default.docs → docs_20261130_020000")
 * and for each activity or child in it ("flush default.docs"). Pure: the client, the schedules and
 * the workflow interceptor (for activities and children) all derive them here from the inputs,
 * so no call site spells one out.
 */

import {
  operationOfWorkflowType,
  qualifiedName as qualified,
  textField as text,
  type OperationDescriptor,
} from '../contracts/operation';
import { OPERATION_DESCRIPTORS } from '../contracts/operations';

type Fields = Record<string, unknown>;

const DEFAULT_DB = 'default';
const MAX_LENGTH = 200;

function fields(value: unknown): Fields {
  return typeof value === 'object' && value !== null ? (value as Fields) : {};
}

/** camelCase → words: the fallback for a type without its own wording. */
function words(name: string): string {
  return name
    .replace(/Workflow$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

function oneLine(summary: string): string {
  const line = summary.replace(/\s+/g, ' ').trim();
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
}

/** What an input is about: "db.collection", a restore "snapshot → target", a job. */
function subject(input: Fields): string {
  const target = fields(input.target);
  const restoreTarget = qualified(input.targetDb, input.targetCollection);
  if (restoreTarget) return `${text(input.snapshot) ?? ''} → ${restoreTarget}`;
  const collection =
    qualified(input.db, input.collection) ??
    qualified(target.db, target.collection) ??
    qualified(fields(input.source).db, fields(input.source).collection) ??
    (text(input.pattern) && `${text(input.db) ?? DEFAULT_DB}.${text(input.pattern)}`);
  const snapshot = text(input.snapshot) ?? text(input.name);
  const job = text(input.jobId) && `job ${text(input.jobId)}`;
  return [collection, snapshot && `@ ${snapshot}`, job].filter(Boolean).join(' ');
}

/** Wording per activity where the name alone reads badly; others fall back to their name in words. */
const ACTIVITY_VERBS: Record<string, string> = {
  flushCollection: 'flush',
  countCollectionRows: 'count rows of',
  inspectSnapshot: 'look up snapshot',
  createSnapshot: 'create snapshot',
  verifySnapshot: 'verify snapshot',
  countSnapshotRows: 'count snapshot rows by a scratch restore of',
  dropSnapshot: 'drop snapshot',
  dropSnapshotIfMadeByRun: 'drop the snapshot this run made:',
  describeRestoreSnapshot: 'describe snapshot',
  startOrAdoptRestoreJob: 'start or adopt restore',
  waitForRestoreJob: 'wait for restore into',
  verifyRestoredCollection: 'verify restored',
  dropRestoredCollection: 'drop restored',
  planCollectionRetention: 'plan retention of',
  listSnapshotsInUseByRestore: 'list snapshots restores are reading',
  listRetentionCollections: 'list collections matching',
  dropSnapshotForRetention: 'retention: drop',
  findLatestVerifiedSnapshot: 'find the newest verified snapshot of',
  newestCatalogSnapshot: 'find in the catalog the newest verified snapshot of',
  compareScratchWithSource: 'compare scratch with source',
  dropScratchCollection: 'drop scratch',
  checkMilvus: 'check Milvus',
};

export function activitySummary(activityType: string, args: readonly unknown[]): string {
  const verb = ACTIVITY_VERBS[activityType] ?? words(activityType);
  return oneLine(`${verb} ${subject(fields(args[0]))}`);
}

/** Runs that are no operation of their own; an operation's summary is in its descriptor. */
const OTHER_SUMMARIES: Record<string, (input: Fields) => string> = {
  checkMilvusWorkflow: (i) => `check Milvus (database ${text(i.db) ?? DEFAULT_DB})`,
};

/** The static summary of a run of `workflowType` with this (raw or parsed) input. */
export function workflowSummary(workflowType: string, input: unknown): string {
  const operation = operationOfWorkflowType(workflowType);
  const descriptor: OperationDescriptor | undefined = operation && OPERATION_DESCRIPTORS[operation];
  const summary = descriptor ? descriptor.summary : OTHER_SUMMARIES[workflowType];
  const fallback = () => `${words(workflowType)} ${subject(fields(input))}`;
  return oneLine(summary ? summary(fields(input)) : fallback());
}
