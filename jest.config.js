/** Tests start real servers (Temporal, the Milvus stand-in), so they get generous timeouts. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/packages/milvus-standin/test'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
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
