import { setHandler } from '@temporalio/workflow';
import {
  retentionProgressQuery,
  type CollectionContinuation,
  type CollectionRetentionResult,
  type CollectionSummary,
  type RetentionProgress,
  type RetentionStep,
} from '../contracts/retention';

type Counts = Omit<RetentionProgress, 'step' | 'dryRun' | 'applyWorkflowId' | 'collections'>;

const NOTHING_YET: Counts = { planned: 0, kept: 0, dropped: 0, failed: 0, pending: 0, renewed: 0, runs: 1 };

/** One collection's account, live (the state the drops append to) or final (its result). */
function collectionCounts(s: CollectionContinuation | CollectionRetentionResult): Counts {
  const settled = s.kept.length + s.dropped.length + s.failed.length;
  return {
    planned: s.snapshots,
    kept: s.kept.length,
    dropped: s.dropped.length,
    failed: s.failed.length,
    // A live state's plan splits into kept, dropped, failed and still pending; a dry run's would-drops.
    pending: 'wouldDrop' in s && s.dryRun ? s.wouldDrop.length : s.snapshots - settled,
    renewed: s.protection?.renewed.length ?? 0,
    runs: s.runs,
  };
}

function summedCounts(summaries: readonly CollectionSummary[]): Counts {
  const sum = (f: (c: CollectionSummary) => number) => summaries.reduce((n, c) => n + f(c), 0);
  return {
    planned: sum((c) => c.snapshots),
    kept: sum((c) => c.kept),
    dropped: sum((c) => c.dropped),
    failed: sum((c) => c.failed.length),
    pending: sum((c) => c.wouldDrop),
    renewed: 0,
    runs: 1,
  };
}

/**
 * What `retentionProgressQuery` answers. The run moves it along as it goes and points it at the
 * state its drops append to, so an answer is always current. Pure bookkeeping plus a query
 * handler: it issues no commands, so histories are unchanged.
 */
export class RetentionProgressTracker {
  step: RetentionStep = 'starting';
  private counts: () => Counts = () => NOTHING_YET;
  private applyWorkflowId?: string;
  private collections?: { done: () => number; total: number };

  constructor(private readonly dryRun: boolean) {
    setHandler(retentionProgressQuery, () => this.read());
  }

  /** A single collection's plan, from now on read live from `state` (or a finished result). */
  follow(state: CollectionContinuation | CollectionRetentionResult): void {
    this.counts = () => collectionCounts(state);
  }

  /** A coordinating run: the child `workflowId` does the work and answers with the numbers. */
  delegate(workflowId: string): void {
    this.step = 'delegated';
    this.applyWorkflowId = workflowId;
  }

  /** A pattern run: the summaries of the collections finished so far, of `total`. */
  followCollections(summaries: () => readonly CollectionSummary[], total: number): void {
    this.step = 'collections';
    this.counts = () => summedCounts(summaries());
    this.collections = { done: () => summaries().length, total };
  }

  /** The run's result is known: its numbers are final. */
  done(detail: CollectionRetentionResult | undefined, summaries: readonly CollectionSummary[]): void {
    this.step = 'done';
    const counts = detail ? collectionCounts(detail) : summedCounts(summaries);
    this.counts = () => counts;
    if (this.collections) this.collections.done = () => summaries.length;
  }

  private read(): RetentionProgress {
    return {
      step: this.step,
      dryRun: this.dryRun,
      ...this.counts(),
      ...(this.applyWorkflowId ? { applyWorkflowId: this.applyWorkflowId } : {}),
      ...(this.collections
        ? { collections: { done: this.collections.done(), total: this.collections.total } }
        : {}),
    };
  }
}
