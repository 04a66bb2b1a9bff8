import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,node-catalog,electron,renderer,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/cluster/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Builds KFP's protobuf bindings so every run parses compiled KFP output strictly.
    globalSetup: ['test/kfp-proto/globalSetup.ts'],
  },
});
