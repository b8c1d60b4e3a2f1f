const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
};

// Three tiers, all run by `npm test`, chosen by folder (test/<tier>/ mirrors lib/); `npm run test:unit` runs
// the fast one alone. test/helpers/ serves every tier.
// - test/unit: in-process code and loopback sockets (the sandbox, scripted servers): seconds.
// - test/integration: real external parts: spawned processes (the bundle, Apache httpd, curl, several CLI
//   processes sharing a token cache), https, ESLint.
// - test/e2e: real Terraform, npm pack/install, cdktf synth, the demo, the examples, the README's commands.
const tier = (name) => [`<rootDir>/test/${name}/**/*.test.ts`];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: tier('unit'),
      // Needs no prior build: builds the one file of dist/ it needs when missing (test/helpers/unit-setup.js).
      globalSetup: '<rootDir>/test/helpers/unit-setup.js',
    },
    // The construct tests again, against the CDK Terrain flavour (dist/cdktn, built by `npm run build`):
    // the resolver maps cdktf to cdktn and lib/ to dist/cdktn/ (test/helpers/cdktn-resolver.js); the
    // global setup refuses a dist/ built from other sources than lib/ (test/helpers/cdktn-fresh.js).
    {
      ...shared,
      displayName: 'unit-cdktn',
      testMatch: tier('unit/construct'),
      resolver: '<rootDir>/test/helpers/cdktn-resolver.js',
      globalSetup: '<rootDir>/test/helpers/cdktn-fresh.js',
    },
    { ...shared, displayName: 'integration', testMatch: tier('integration') },
    { ...shared, displayName: 'e2e', testMatch: tier('e2e') },
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
