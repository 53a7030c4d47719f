import type { Config } from 'jest';

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@app/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

/** Unit, integration (real PostgreSQL), realtime e2e and browser tests, all under `npm test`. */
const config: Config = {
  rootDir: '.',
  globalSetup: '<rootDir>/apps/api/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/apps/api/test/support/global-teardown.ts',
  maxWorkers: 2,
  // A worker whose heap has grown past this between files is replaced by a fresh one. Heaps grow
  // file by file (past 700 MB within a dozen browser files), and a process that large takes longer
  // to exit than Jest's half-second grace on a busy machine: "a worker failed to exit gracefully".
  workerIdleMemoryLimit: '700MB',
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'api',
      testMatch: ['<rootDir>/apps/api/**/*.spec.ts', '<rootDir>/apps/api/test/**/*.int-spec.ts', '<rootDir>/apps/api/test/**/*.e2e-spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'web',
      testMatch: ['<rootDir>/apps/web/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/e2e/**/*.spec.ts'],
    },
  ],
};

export default config;
