/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', {}],
    '^.+\\.mjs$': ['@swc/jest', {}],
  },
  // Sources use NodeNext-style `.js` specifiers; jest resolves the `.ts` file behind them.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: ['/node_modules/(?!(@statelyai/inspect)/)'],
  testTimeout: 20000,
};

export default config;
