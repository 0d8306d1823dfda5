// Every workflow the worker runs. One export line per workflow file.
export { checkMilvusWorkflow } from './check-milvus';
export { restoreWorkflow } from './restore';
export { backupWorkflow } from './backup';
export { drillWorkflow } from './drill';
export { retentionApplyWorkflow, retentionWorkflow } from './retention';
export { exportWorkflow } from './export';
export { catalogWorkflow } from './catalog';
export { recoverWorkflow } from './recover';
export { fleetWorkflow } from './fleet';
