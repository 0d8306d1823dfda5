/**
 * The project's Prometheus series (README "Metrics" has alert rules on them). Pure names: the
 * workflow interceptor records them, the runtime sets bucket boundaries, tests scrape them.
 */

/** Gauge, epoch seconds: when the newest verified backup of `db`/`collection` completed. */
export const LAST_VERIFIED_BACKUP_METRIC = 'milvus_snapshot_last_verified_backup_timestamp_seconds';
/** Histogram, seconds: one run of `operation` (backup, restore, retention, drill, …) by `outcome`. */
export const OPERATION_DURATION_METRIC = 'milvus_snapshot_operation_duration_seconds';
/** Counter: snapshots retention dropped, by `db`/`collection`. */
export const RETENTION_DROPS_METRIC = 'milvus_snapshot_retention_dropped_snapshots';
/** Counter: failed runs by `operation` and `failure_type` (FailureType or Milvus's error kind). */
export const FAILURES_METRIC = 'milvus_snapshot_failures';
/** Counter: finished drills by `db`/`collection` and `outcome` (pass, fail). */
export const DRILLS_METRIC = 'milvus_snapshot_drills';
/** Gauges of the newest drill of `db`/`collection`. */
export const DRILL_PASSED_METRIC = 'milvus_snapshot_drill_last_passed';
export const DRILL_TIMESTAMP_METRIC = 'milvus_snapshot_drill_last_timestamp_seconds';
export const DRILL_RTO_METRIC = 'milvus_snapshot_drill_rto_seconds';
export const DRILL_RPO_METRIC = 'milvus_snapshot_drill_rpo_seconds';
