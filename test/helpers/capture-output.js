// setupFilesAfterEnv: names this test file's output file (TEST_OUTPUT_FILE), which the in-process
// Temporal runtime's logger (dev/temporal-test-env.ts) writes to instead of the terminal.
const { mkdirSync, writeFileSync } = require('node:fs');
const { TEST_OUTPUT_DIR, outputFileFor } = require('./test-output-file');

const { testPath } = expect.getState();
if (testPath) {
  mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  process.env.TEST_OUTPUT_FILE = outputFileFor(testPath);
  writeFileSync(process.env.TEST_OUTPUT_FILE, '');
}
