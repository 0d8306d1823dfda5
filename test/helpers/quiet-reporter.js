// The reporter of `bash scripts/test.sh`: one line per passing test file; a failing one gets its
// failures, its console output and its captured SDK/worker output (.test-output/<file>.log).
// Writes to file descriptor 3 when test.sh opened it (the terminal; jest's own stdout and stderr,
// with server banners and child output, go to .test-output/jest.log), else to stdout.
const { existsSync, fstatSync, readFileSync, writeSync } = require('node:fs');
const { relative } = require('node:path');
const { ROOT, outputFileFor } = require('./test-output-file');

const LOG_TAIL_LINES = 400;

function reportFd() {
  try {
    fstatSync(3);
    return 3;
  } catch {
    return 1;
  }
}

class QuietReporter {
  constructor() {
    this.fd = reportFd();
  }

  write(text) {
    writeSync(this.fd, text.endsWith('\n') ? text : `${text}\n`);
  }

  onTestResult(_test, result) {
    const file = relative(ROOT, result.testFilePath);
    const seconds = ((result.perfStats.end - result.perfStats.start) / 1000).toFixed(1);
    if (result.numFailingTests === 0 && !result.testExecError) {
      this.write(`PASS ${file} (${seconds} s)`);
      return;
    }
    this.write(`FAIL ${file} (${seconds} s)`);
    if (result.failureMessage) this.write(result.failureMessage);
    if (result.testExecError && !result.failureMessage)
      this.write(result.testExecError.stack || result.testExecError.message);
    for (const entry of result.console || []) this.write(`console.${entry.type}: ${entry.message}`);
    const log = outputFileFor(result.testFilePath);
    const text = existsSync(log) ? readFileSync(log, 'utf8').trimEnd() : '';
    if (text) {
      const lines = text.split('\n');
      this.write(
        `--- captured output of ${file} (${log}${lines.length > LOG_TAIL_LINES ? `, last ${LOG_TAIL_LINES} lines` : ''}) ---`,
      );
      this.write(lines.slice(-LOG_TAIL_LINES).join('\n'));
      this.write('--- end of captured output ---');
    }
  }

  onRunComplete(_contexts, results) {
    const seconds = ((Date.now() - results.startTime) / 1000).toFixed(0);
    this.write(
      `test files: ${results.numPassedTestSuites} passed, ${results.numFailedTestSuites} failed, ${results.numPendingTestSuites} skipped; ` +
        `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped; ${seconds} s`,
    );
    if (results.numFailedTestSuites > 0)
      this.write("servers' and child processes' output: .test-output/jest.log");
  }

  getLastError() {
    return undefined;
  }
}

module.exports = QuietReporter;
