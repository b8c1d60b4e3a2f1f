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
  // `npm test` runs with --coverage: the HTTP client and the input rules are held to these thresholds.
  collectCoverageFrom: ['lib/client/**/*.ts', 'lib/contract/**/*.ts'],
  coverageReporters: ['text-summary'],
  coverageThreshold: {
    './lib/client/': { lines: 90, branches: 80 },
    './lib/contract/': { lines: 95, branches: 90 },
  },
};
