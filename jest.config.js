/** jest in ESM mode, as ../shared/TOOLCHAIN.md found to work on Node 20. */
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  // Many tests run real tools (crm_verify, crm_simulate, keepalived -t, pcs) on a shared 2-core
  // machine: 5 s is too tight under load. Timeouts guard against hangs; speed is measured in bench/.
  testTimeout: 60_000,
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: { ignoreCodes: [151002] } }] },
};
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/golden/**/*.test.ts'] },
    { ...common, displayName: 'tools', testMatch: ['<rootDir>/test/tools/**/*.test.ts'] },
    { ...common, displayName: 'lab', testMatch: ['<rootDir>/test/lab/**/*.test.ts'] },
  ],
};
