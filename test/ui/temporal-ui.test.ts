import { Client, Connection } from '@temporalio/client';
import { seedDemoCollection, startStandin, type Standin } from 'milvus-standin';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { startTemporalUiServer, type TemporalUiServer } from '../../dev/temporal-ui-server';
import { uniqueTaskQueue } from '../../dev/temporal-test-env';
import { startWorkerMainChild, type WorkerMainChild } from '../../dev/worker-main-child';
import { SnapshotWorkerClient } from '../../src/client';
import { backupWorkflowId } from '../../src/contracts/backup';
import type { DrillReport } from '../../src/drill/report';
import { findChromium } from '../helpers/chromium';

/**
 * The Temporal UI as the operator's dashboard: the dev server with its Web UI, the stand-in and the
 * worker process; a drill and a schedule; then headless Chromium (driven by playwright-core) reads
 * the pages an operator opens. Screenshots go to test-artifacts/ui/ (gitignored).
 */
const COLLECTION = 'ui_items';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'ui');
const chromiumPath = findChromium();
const UI_TIMEOUT_MS = 30_000;

/** The UI renders summaries and details as Markdown, each in a sandboxed iframe: the first match in one. */
async function inMarkdownFrame(page: Page, locate: (frame: FrameLocator) => Locator): Promise<Locator> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const frames = page.locator('iframe');
    for (let i = 0, n = await frames.count(); i < n; i++) {
      const found = locate(frames.nth(i).contentFrame());
      if ((await found.count()) > 0) return found.first();
    }
    if (Date.now() > deadline) throw new Error(`not in any rendered Markdown frame of ${page.url()}`);
    await page.waitForTimeout(250);
  }
}

if (!chromiumPath) {
  it.skip('SKIPPED: no chromium on PATH or CHROMIUM_PATH; `bash scripts/setup.sh test` installs Debian chromium', () => {
    /* the reason is this test's name */
  });
} else {
  describe('Temporal UI (headless Chromium)', () => {
    let server: TemporalUiServer;
    let standin: Standin;
    let worker: WorkerMainChild | undefined;
    let connection: Connection;
    let client: SnapshotWorkerClient;
    let browser: Browser;
    let page: Page;
    let drill: { workflowId: string; runId: string; report: DrillReport };
    let scheduleId: string;

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      [server, standin] = await Promise.all([startTemporalUiServer(), startStandin({ port: 0 })]);
      await seedDemoCollection(standin.address, { collection: COLLECTION, rows: 150, dim: 4 });
      const taskQueue = uniqueTaskQueue('ui');
      worker = await startWorkerMainChild(
        {
          TEMPORAL_ADDRESS: server.address,
          TEMPORAL_TASK_QUEUE: taskQueue,
          MILVUS_ADDRESS: standin.address,
        },
        () => undefined, // its output is not under test here
      );
      connection = await Connection.connect({ address: server.address });
      client = new SnapshotWorkerClient(new Client({ connection }), taskQueue);
      const handle = await client.startDrill({ collection: COLLECTION, sampleSize: 20 });
      drill = {
        workflowId: handle.workflowId,
        runId: handle.firstExecutionRunId,
        report: await handle.result(),
      };
      scheduleId = await client.scheduleBackup(
        { collection: COLLECTION },
        { cron: '0 2 * * *', paused: true },
      );
      browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.setDefaultTimeout(UI_TIMEOUT_MS);
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await connection?.close();
      await worker?.stop();
      await standin?.stop();
      await server?.stop();
    });

    const workflowUrl = (workflowId: string, runId: string, tab: string) =>
      `${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/${tab}`;

    it("shows the drill's summary and its Markdown report, rendered, as current details", async () => {
      expect(drill.report.outcome).toBe('pass');
      await page.goto(workflowUrl(drill.workflowId, drill.runId, 'user-metadata'));
      await inMarkdownFrame(page, (f) => f.getByText(`drill default.${COLLECTION} from a fresh backup`));
      const report = (f: FrameLocator) =>
        f.getByRole('heading', { name: `DR drill PASS: default.${COLLECTION}` });
      await expect(inMarkdownFrame(page, report)).resolves.toBeTruthy();
      const rto = await inMarkdownFrame(page, (f) =>
        f.getByRole('cell', { name: 'RTO (restore started → verified)' }),
      );
      await expect(rto.isVisible()).resolves.toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'drill-report.png'), fullPage: true });
    });

    it("shows each activity's summary in the backup's event history", async () => {
      const backupId = backupWorkflowId({
        db: 'default',
        collection: COLLECTION,
        snapshot: drill.report.snapshot?.name ?? '',
      });
      const backup = await client.client.workflow.getHandle(backupId).describe();
      await page.goto(workflowUrl(backupId, backup.runId, 'history'));
      const flush = page.getByText(`flush default.${COLLECTION}`).first();
      await flush.waitFor();
      await flush.scrollIntoViewIfNeeded(); // the screenshot shows it
      await page.screenshot({ path: join(ARTIFACTS, 'backup-history.png'), fullPage: true });
    });

    it('lists the backup schedule with its workflow type', async () => {
      await page.goto(`${server.uiUrl}/namespaces/default/schedules`);
      const row = page.getByRole('row').filter({ hasText: scheduleId });
      await row.waitFor();
      await expect(row.innerText()).resolves.toContain('backupWorkflow');
      await page.screenshot({ path: join(ARTIFACTS, 'schedules.png'), fullPage: true });
    });
  });
}
