import { ApplicationFailure } from '@temporalio/common';
import type { CollectionRef, FlushResult, MilvusGateway } from '../../milvus/gateway';
import { heartbeat, previousHeartbeat, sleepOrCancel } from '../heartbeat';
import { FailureType } from '../../contracts/failures';

export interface FlushCollectionInput extends CollectionRef {
  /** Give up (non-retryable) when the flush has not completed after this long. */
  timeoutSeconds: number;
  pollIntervalMs?: number;
}

export interface FlushCollectionResult extends FlushResult {
  polls: number;
  waitedMs: number;
}

const DEFAULT_POLL_MS = 500;

/**
 * Flush, then wait until Milvus says the flush completed (GetFlushState), so the snapshot holds
 * every row written before the backup started. A retried attempt (worker crash) keeps waiting on
 * the flush it already issued, recorded in its heartbeat, instead of flushing again.
 */
export function createFlushCollectionActivities(gateway: MilvusGateway) {
  return {
    async flushCollection(input: FlushCollectionInput): Promise<FlushCollectionResult> {
      const ref = { db: input.db, collection: input.collection };
      const flush = previousHeartbeat<FlushResult>() ?? (await gateway.flush(ref));
      const started = Date.now();
      const deadline = started + input.timeoutSeconds * 1000;
      for (let polls = 1; ; polls++) {
        if (await gateway.isFlushed(ref, flush)) return { ...flush, polls, waitedMs: Date.now() - started };
        if (Date.now() >= deadline) {
          throw ApplicationFailure.nonRetryable(
            `flush of ${ref.db}.${ref.collection} did not complete within ${input.timeoutSeconds}s (flush_ts ${flush.flushTs}, ${flush.segmentIds.length} segments)`,
            FailureType.FlushTimeout,
          );
        }
        heartbeat(flush);
        await sleepOrCancel(input.pollIntervalMs ?? DEFAULT_POLL_MS);
      }
    },
  };
}
