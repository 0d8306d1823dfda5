import { Runtime, type Logger } from '@temporalio/worker';
import { OPERATION_DURATION_METRIC } from './metric-names';

/**
 * The process's Temporal runtime, installed once before any connection, with the worker's logger;
 * with a metrics address,
 * the SDK's Prometheus exporter serves `/metrics` there — Temporal's own worker metrics and the
 * project's (recorded through the SDK's metric meter, so both land on the one endpoint).
 */

/** Backups and restores take seconds to hours: buckets in seconds over that range. */
const DURATION_BUCKETS_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400];

export function installRuntime(options: { metricsAddress?: string; logger: Logger }): void {
  const prometheus = options.metricsAddress && {
    bindAddress: options.metricsAddress,
    histogramBucketOverrides: { [OPERATION_DURATION_METRIC]: DURATION_BUCKETS_SECONDS },
  };
  Runtime.install({
    logger: options.logger,
    ...(prometheus ? { telemetryOptions: { metrics: { prometheus } } } : {}),
  });
}
