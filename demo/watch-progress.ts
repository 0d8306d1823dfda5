import type { Client, WorkflowHandle } from '@temporalio/client';
import { formatDuration, type DrillStep } from '../src/drill/report';
import { restoreProgressQuery } from '../src/contracts/restore';
import { drillProgressQuery } from '../src/contracts/drill';
import { log } from './log';

function stepLine(step: DrillStep): string {
  const took = step.durationMs === undefined ? '' : ` in ${formatDuration(step.durationMs)}`;
  const note = step.error ?? step.detail;
  return `${step.status === 'ok' ? '✓' : '✗'} ${step.name} ${step.status}${took}${note ? ` — ${note}` : ''}`;
}

/** Prints step changes, finished steps and the restore's own progress until `done` settles. */
export async function watchProgress(
  client: Client,
  handle: WorkflowHandle,
  done: Promise<unknown>,
): Promise<void> {
  let finished = false;
  done.then(
    () => (finished = true),
    () => (finished = true),
  );
  const printed = new Set<string>();
  let lastStep = '';
  let lastRestore = '';
  const poll = async () => {
    const progress = await handle.query(drillProgressQuery);
    for (const [i, step] of progress.steps.entries()) {
      if (step.durationMs === undefined || printed.has(`${i}`)) continue;
      printed.add(`${i}`);
      log(stepLine(step));
    }
    if (progress.step !== lastStep && progress.step !== 'done') log(`${progress.step}…`);
    lastStep = progress.step;
    if (progress.step !== 'restore' || !progress.restoreWorkflowId) return;
    const restore = await client.workflow.getHandle(progress.restoreWorkflowId).query(restoreProgressQuery);
    const line = restore.jobId
      ? `restore job ${restore.jobId}: ${restore.state ?? restore.phase} ${restore.progress}%`
      : `restore: ${restore.phase}`;
    if (line !== lastRestore) log(line);
    lastRestore = line;
  };
  while (!finished) {
    // Not answerable yet (first task not run) or already closing: the next poll will tell.
    await poll().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 250));
  }
  await poll().catch(() => undefined);
}
