// The bundle's entry: every workflow the worker runs, one export line per workflow file, and the
// check workflow, small enough to live here.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { MilvusCheckResult } from '../activities/check-milvus';
import { DEFAULT_DB } from '../milvus/names';
import { HEARTBEAT_TIMEOUT, MILVUS_RETRY } from './retry-policies';

export { restoreWorkflow } from './restore';
export { backupWorkflow } from './backup';
export { drillWorkflow } from './drill';
export { retentionApplyWorkflow, retentionWorkflow } from './retention';
export { exportWorkflow } from './export';
export { catalogWorkflow } from './catalog';
export { recoverWorkflow } from './recover';
export { fleetWorkflow } from './fleet';

// One activity, no state: the check workflow.
const { checkMilvus } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: MILVUS_RETRY,
});

/** Proves the chain operator → Temporal → worker → Milvus works, from the Temporal UI or the CLI. */
export async function checkMilvusWorkflow(input: { db?: string } = {}): Promise<MilvusCheckResult> {
  return checkMilvus({ db: input.db ?? DEFAULT_DB });
}
