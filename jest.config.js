// Unit tests need no servers; workflow tests start a Temporal dev server per file; integration and
// disruptive tests run against the real sandbox (Temporal dev server + Kubernetes control plane
// with kwok), started once per run.
// @swc/jest transforms TypeScript and the ESM-only Kubernetes client (hence no ignore patterns).
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest'] };
const common = { transform, transformIgnorePatterns: [], testEnvironment: 'node' };
const sandboxed = {
  ...common,
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/harness/quiet-worker.ts', '<rootDir>/test/harness/leak-check.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    // Workflows with fake activities, each file on a Temporal dev server of its own (no sandbox);
    // the workflows are bundled once for all files.
    {
      ...common,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
      globalSetup: '<rootDir>/test/workflow/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/workflow/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/quiet-worker.ts'],
    },
    { ...sandboxed, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    // Tests that stop and start servers: run alone, with --runInBand (see scripts/test.sh).
    // Each starts on a settled cluster (test/harness/settled-cluster.ts): the test before disrupted it.
    {
      ...sandboxed,
      displayName: 'disruptive',
      testMatch: ['<rootDir>/test/disruptive/**/*.test.ts'],
      setupFilesAfterEnv: [...sandboxed.setupFilesAfterEnv, '<rootDir>/test/harness/settled-cluster.ts'],
    },
  ],
};
