import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../../dev/temporal-test-env';
import { buildWorkflowBundle } from '../../src/temporal/workflow-bundle';
import globalTeardown from './global-teardown';

/**
 * jest globalSetup: what every test file would otherwise build or start for itself, once per run.
 * - The workflow bundle (seconds of webpack per file): written to a file named in
 *   TEST_WORKFLOW_BUNDLE, which `workflowBundle()` (dev/temporal-test-env.ts) reads.
 * - One Temporal dev server, its address in TEST_TEMPORAL_ADDRESS: `startDevServer()` of
 *   test/helpers/temporal.ts gives each test file a namespace of its own on it (so workflow ids,
 *   schedules and visibility never meet across files). Tests that restart, configure or assert on
 *   a server of their own still start one (see `startDevServer`).
 * jest workers inherit these variables. `npm run test:fast` (TEST_FAST=1) starts no server.
 */
export interface SharedTemporal {
  env?: TestWorkflowEnvironment;
  bundleDir?: string;
}

declare global {
  // Read back by global-teardown.ts (same process).
  var sharedTemporal: SharedTemporal | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_FAST === '1') return;
  const bundleDir = mkdtempSync(join(tmpdir(), 'test-workflow-bundle-'));
  const shared: SharedTemporal = (globalThis.sharedTemporal = { bundleDir });
  const bundleFile = join(bundleDir, 'workflow-bundle.js');
  const [built, started] = await Promise.allSettled([
    buildWorkflowBundle().then(({ code }) => writeFileSync(bundleFile, code)),
    startDevServer(),
  ]);
  if (started.status === 'fulfilled') shared.env = started.value;
  if (built.status === 'rejected' || started.status === 'rejected') {
    await globalTeardown(); // jest runs no teardown when the set-up fails
    throw built.status === 'rejected' ? built.reason : (started as PromiseRejectedResult).reason;
  }
  const env = started.value;
  process.env.TEST_TEMPORAL_ADDRESS = env.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundleFile;
}
