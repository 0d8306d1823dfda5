// Where a test file's captured output goes (SDK/worker logs of in-process workers): one file per
// test file under .test-output/, read back by the quiet reporter when that file fails.
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const TEST_OUTPUT_DIR = join(ROOT, '.test-output');

function outputFileFor(testPath) {
  return join(TEST_OUTPUT_DIR, `${relative(ROOT, testPath).replace(/[/\\]/g, '__')}.log`);
}

module.exports = { ROOT, TEST_OUTPUT_DIR, outputFileFor };
