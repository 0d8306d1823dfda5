/**
 * Every activity heartbeats each second while it runs (the keep-alive in src/activities/heartbeat.ts),
 * so a worker that dies mid-step is noticed within this and the step is retried on another worker
 * within seconds, instead of after the step's whole start-to-close timeout. Every proxy sets it.
 */
export const HEARTBEAT_TIMEOUT = '5s';
