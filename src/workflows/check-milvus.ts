import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { MilvusCheckResult } from '../activities/check-milvus';
import { DEFAULT_DB } from '../milvus/names';
import { MILVUS_RETRY } from './retry-policies';
import { HEARTBEAT_TIMEOUT } from './heartbeat-timeout';

const { checkMilvus } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

/** Proves the chain operator → Temporal → worker → Milvus works, from the Temporal UI or the CLI. */
export async function checkMilvusWorkflow(input: { db?: string } = {}): Promise<MilvusCheckResult> {
  return checkMilvus({ db: input.db ?? DEFAULT_DB });
}
