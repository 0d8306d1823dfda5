// Every workflow the worker runs. One export line per workflow file.
export { checkMilvusWorkflow } from './check-milvus';
export { restoreWorkflow } from './restore';
export { backupWorkflow } from './backup';
export { drillWorkflow } from './drill';
export { retentionWorkflow } from './retention';
export { catalogWorkflow } from './catalog';
export { recoverWorkflow } from './recover';
export { fleetWorkflow } from './fleet';
