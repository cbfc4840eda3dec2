// ESM + @swc/jest, as TOOLCHAIN.md describes. Internal packages (#core, …) map to
// their sources so tests never depend on a stale build.
const swc = {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
};

const libs = ['core', 'etcd', 'temporal', 'agent', 'client', 'devstack', 'push', 'runtime', 'remediation', 'detector', 'auth', 'k8s', 'chaos'];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((l) => [`^#${l}$`, `<rootDir>/libs/${l}/index.ts`])),
    ...Object.fromEntries(libs.map((l) => [`^#${l}/(.*)$`, `<rootDir>/libs/${l}/$1.ts`])),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{apps,libs,workflows,test}/**/*.test.ts'],
  // The 30-gateway suite (40 processes) runs alone, as its own CI step: `npm run test:fleet-at-scale`. Beside another
  // integration suite (maxWorkers 2) on two cores its detectors starved and lost their leases (CI,
  // stop 22); alone, a detector's own stall still gives healthy gateways runs now and then (CI, stop 23).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', ...(process.env.HOMEOSTAT_FLEET_AT_SCALE === 'on' ? [] : ['/test/membership/fleet-at-scale\\.test\\.ts$'])],
  // Integration suites start real servers; give them room, and keep memory sane on 2 cores.
  // Provisions etcd and the Temporal CLI on first use, once, before the suites run in parallel.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // Jest's summary, then one plain `tests: N passed, N failed` line that any CI log reader knows.
  reporters: ['default', '<rootDir>/test/support/closing-line-reporter.mjs'],
  testTimeout: 120_000,
  maxWorkers: 2,
};
