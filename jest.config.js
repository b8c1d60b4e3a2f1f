const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
};

// Three tiers, all run by `npm test`; `npm run test:unit` runs the fast one alone.
// - unit: in-process code and loopback sockets (the sandbox, scripted servers): seconds.
// - integration: real external parts: spawned processes (the bundle, Apache httpd, curl, several CLI
//   processes sharing a token cache), https.
// - e2e: real Terraform, npm pack/install, cdktf synth, the demo, the README's commands.
const INTEGRATION = [
  '<rootDir>/test/interop/**/*.test.ts',
  '<rootDir>/test/client/apache-digest.test.ts',
  '<rootDir>/test/client/token-cache.test.ts',
  '<rootDir>/test/cli/bundle.test.ts',
  '<rootDir>/test/cli/https.test.ts',
  '<rootDir>/test/cli/wait-file.test.ts',
  '<rootDir>/test/sandbox/curl.test.ts',
  '<rootDir>/test/sandbox/sandbox-command.test.ts',
  '<rootDir>/test/lint/**/*.test.ts',
];
const E2E = ['e2e', 'demo', 'examples', 'package', 'docs'].map((d) => `<rootDir>/test/${d}/**/*.test.ts`);

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Needs no prior build: builds the one file of dist/ it needs when missing (test/helpers/unit-setup.js).
      globalSetup: '<rootDir>/test/helpers/unit-setup.js',
      testPathIgnorePatterns: [...INTEGRATION, ...E2E].map((glob) =>
        glob.replace('<rootDir>/', '/').replace('/**/*.test.ts', '/').replace(/\./g, '\\.'),
      ),
    },
    // The construct tests again, against the CDK Terrain flavour (dist/cdktn, built by `npm run build`):
    // the resolver maps cdktf to cdktn and lib/ to dist/cdktn/ (test/helpers/cdktn-resolver.js); the
    // global setup refuses a dist/ built from other sources than lib/ (test/helpers/cdktn-fresh.js).
    {
      ...shared,
      displayName: 'unit-cdktn',
      testMatch: ['<rootDir>/test/construct/**/*.test.ts'],
      resolver: '<rootDir>/test/helpers/cdktn-resolver.js',
      globalSetup: '<rootDir>/test/helpers/cdktn-fresh.js',
    },
    { ...shared, displayName: 'integration', testMatch: INTEGRATION },
    { ...shared, displayName: 'e2e', testMatch: E2E },
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
