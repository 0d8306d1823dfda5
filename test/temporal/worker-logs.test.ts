import { WorkflowFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { waitUntil } from '../../dev/wait-until';
import { startWorkerMainChild, type WorkerMainChild } from '../../dev/worker-main-child';
import { useStack } from '../helpers/stack';

/** What an operator sees in the worker's log (src/worker.ts as deployed) when runs fail as expected. */
describe('worker logs: one line per expected failure', () => {
  const stack = useStack();
  const taskQueue = `logs-${randomUUID()}`;
  const lines: string[] = [];
  let worker: WorkerMainChild;

  beforeAll(async () => {
    worker = await startWorkerMainChild(
      {
        TEMPORAL_ADDRESS: stack().env.address,
        MILVUS_ADDRESS: stack().standin.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
      },
      (line) => lines.push(line),
    );
  }, 200_000);
  afterAll(() => worker?.stop());

  async function failedRun(workflowId: string, input: unknown): Promise<void> {
    const run = stack().client.workflow.execute('backupWorkflow', { taskQueue, workflowId, args: [input] });
    await expect(run).rejects.toBeInstanceOf(WorkflowFailedError);
  }

  const logged = (pattern: RegExp) =>
    waitUntil(
      async () => lines.filter((l) => pattern.test(l)),
      (found) => found.length > 0,
    );

  it('a Milvus refusal: the activity and the run are one line each, naming workflow, activity and reason; no stack, no task token', async () => {
    const workflowId = `logs-missing-${randomUUID()}`;
    await failedRun(workflowId, { collection: 'no_such_collection' });

    const [activity] = await logged(new RegExp(`activity \\w+ failed in workflow ${workflowId}`));
    expect(activity).toMatch(
      new RegExp(
        `\\[WARN\\] activity \\w+ failed in workflow ${workflowId} \\(backupWorkflow\\): CollectionNotFound: .*collection not found.* \\(non-retryable\\)$`,
      ),
    );
    const [run] = await logged(new RegExp(`workflow ${workflowId} \\(backupWorkflow\\) failed: `));
    expect(run).toContain('collection not found');
    const output = lines.join('\n');
    expect(output).not.toContain('taskToken');
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('bad input (a run started past the client, as the UI or a schedule would): one line with the field and the rule', async () => {
    const workflowId = `logs-input-${randomUUID()}`;
    await failedRun(workflowId, { collection: 'docs', keepLast: 3 });

    const [run] = await logged(new RegExp(`workflow ${workflowId} \\(backupWorkflow\\) failed: `));
    expect(run).toMatch(/keepLast: unknown key/);
    expect(lines.join('\n')).not.toMatch(/^\s+at /m);
  });
});
