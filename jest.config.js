/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  // Terraform-driven tests spawn processes; give them room, never infinite.
  testTimeout: 120_000,
  coverageThreshold: {
    './lib/client/': { lines: 90, branches: 80 },
  },
};
