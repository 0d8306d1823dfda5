import type { SnapshotWorkerClient } from '../client';

/** How long a start waits for a worker before saying that none is polling. */
const WORKER_GRACE_MS = 5000;
const CHECK_EVERY_MS = 500;

/** No worker polls the task queue and `--fail-without-worker` was given: exit 1, nothing started. */
export class NoWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoWorkerError';
  }
}

/**
 * Before a command starts a workflow and waits for it: without a worker polling the task queue it
 * would wait in silence forever. After a few seconds without one, say so (queue and address) and
 * either go on waiting or, with `--fail-without-worker`, stop before starting anything.
 */
export async function awaitWorker(
  client: SnapshotWorkerClient,
  where: { address: string; namespace: string },
  failWithoutWorker: boolean,
): Promise<void> {
  const giveUpAt = Date.now() + WORKER_GRACE_MS;
  for (;;) {
    try {
      if ((await client.workerPollers()).length > 0) return;
    } catch (err) {
      // Checking is a courtesy: a caller not allowed to describe task queues still gets its run.
      const reason = err instanceof Error ? err.message : String(err);
      process.stderr.write(`note: could not check the task queue's workers: ${reason}\n`);
      return;
    }
    if (Date.now() >= giveUpAt) break;
    await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
  }
  const missing = `no worker is polling task queue ${client.taskQueue} on ${where.address} (namespace ${where.namespace})`;
  if (failWithoutWorker) throw new NoWorkerError(`${missing}; nothing was started (--fail-without-worker)`);
  process.stderr.write(
    `${missing}; starting anyway and waiting until a worker polls it (start one with TEMPORAL_TASK_QUEUE=${client.taskQueue}, or pass --fail-without-worker to stop instead)\n`,
  );
}
