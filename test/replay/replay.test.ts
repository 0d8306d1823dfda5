import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJson } from '../helpers/history-json';
import { quietRuntime, workflowBundle } from '../helpers/temporal';

/**
 * Guards determinism: every committed history (recorded from a real run on the dev server with
 * RECORD_HISTORIES=1) must replay against today's workflow code without a nondeterminism error.
 */
const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of committed workflow histories', () => {
  beforeAll(quietRuntime); // replay workers log like the others (warnings, into the test's output file)

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const history = historyFromJson(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file),
    ).resolves.toBeUndefined();
  });
});
