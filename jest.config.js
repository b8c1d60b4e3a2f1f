const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'cdktf', testMatch: ['**/*.test.ts'] },
    // The construct tests again, against the CDK Terrain flavour (dist/cdktn, built by `npm run build`):
    // the resolver maps cdktf to cdktn and lib/ to dist/cdktn/ (test/helpers/cdktn-resolver.js).
    {
      ...shared,
      displayName: 'cdktn',
      testMatch: ['<rootDir>/test/construct/**/*.test.ts'],
      resolver: '<rootDir>/test/helpers/cdktn-resolver.js',
    },
  ],
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
