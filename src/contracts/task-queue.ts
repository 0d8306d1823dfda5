/** The task queue workers poll and clients start on unless TEMPORAL_TASK_QUEUE names another. */
export const DEFAULT_TASK_QUEUE = 'milvus-snapshots';
