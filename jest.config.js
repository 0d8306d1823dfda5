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
};
