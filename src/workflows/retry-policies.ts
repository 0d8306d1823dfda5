import type { RetryPolicy } from '@temporalio/common';

/**
 * Every activity heartbeats each second while it runs (the keep-alive in src/activities/heartbeat.ts),
 * so a worker that dies mid-step is noticed within this and the step is retried on another worker
 * within seconds, instead of after the step's whole start-to-close timeout. Every proxy sets it.
 */
export const HEARTBEAT_TIMEOUT = '5s';

/**
 * Transient Milvus faults (unavailable, rate limited, deadline exceeded) retry with bounded
 * exponential backoff; activities mark everything else non-retryable themselves.
 */
export const MILVUS_RETRY: RetryPolicy = {
  initialInterval: '500ms',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 10,
};

/** For compensations: try harder, they protect against leaks (partial collections, bad snapshots). */
export const COMPENSATION_RETRY: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  maximumAttempts: 20,
};

/**
 * For a wait the workflow bounds with its own deadline timer (restore's job wait): no attempt
 * limit, so worker crashes and Milvus outages are waited out until the deadline.
 */
export const DEADLINE_BOUNDED_RETRY: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
};
