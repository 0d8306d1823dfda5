/** Tests start real servers (Temporal, the Milvus stand-in), so they get generous timeouts. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
};
