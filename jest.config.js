const { readdirSync, readFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOTS = ['<rootDir>/test', '<rootDir>/packages/milvus-standin/test'];
const FAST_ROOTS = ['<rootDir>/test'];

/**
 * `npm run test:fast` (TEST_FAST=1): the product's pure and activity-level tests (test/), no
 * Temporal server (neither the shared one nor a file's own), no child process, no Python, no
 * browser. Activity and gateway tests keep the in-process stand-in on port 0: it is the Milvus they
 * call over TCP. The stand-in's own suite (packages/milvus-standin/test) is left to the full run. A
 * file is left to the full run when its source starts or drives any of those (the pattern below);
 * should one slip through, test/helpers/temporal.ts refuses to start a server in a fast run.
 */
const NEEDS_MORE_THAN_FAST =
  /useStack\(|startStack\(|startDevServer\(|startTimeSkippingServer\(|useWorkerKill\(|TestWorkflowEnvironment\.|Worker\.|workflowBundle\(|startWorker|runCli\(|startCli\(|spawn\(|execFile|real-milvus|drill-script|temporal-ui-server|chromium|python/;

/** No server, but they wait out real time (a 50 s Milvus outage): left to the full run. */
const WAITS_TOO_LONG_FOR_FAST = ['test/milvus/reconnect.test.ts'];

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function fullRunOnly() {
  return FAST_ROOTS.flatMap((root) => testFiles(root.replace('<rootDir>', __dirname)))
    .filter(
      (file) =>
        NEEDS_MORE_THAN_FAST.test(readFileSync(file, 'utf8')) ||
        WAITS_TOO_LONG_FOR_FAST.includes(relative(__dirname, file)),
    )
    .map((file) => `<rootDir>/${relative(__dirname, file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

const fast = process.env.TEST_FAST === '1';

/** Tests start real servers (Temporal, the Milvus stand-in), so they get generous timeouts. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: fast ? FAST_ROOTS : ROOTS,
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(fast ? fullRunOnly() : [])],
  testTimeout: 120000,
  maxWorkers: 2,
  // One workflow bundle and one Temporal dev server for the whole run (each file gets a namespace
  // of its own on it); a fast run starts none (test/helpers/global-setup.ts).
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  // The SDK's bulkwriter pulls thrift, which requires uuid@14 (ESM only); jest cannot require ESM
  // on Node 20, so every `uuid` resolves to the hoisted CommonJS uuid@11 (same API).
  moduleNameMapper: { '^uuid$': '<rootDir>/node_modules/uuid' },
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  // In-process workers log to .test-output/<test file>.log (test/helpers/capture-output.js).
  setupFilesAfterEnv: ['<rootDir>/test/helpers/capture-output.js'],
  // scripts/test.sh: one line per passing file; failures with their captured output.
  reporters: process.env.JEST_QUIET ? ['<rootDir>/test/helpers/quiet-reporter.js'] : ['default'],
  // Jest 30 warns (7 lines each) when a library touches a global it soft-deleted between files.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};
