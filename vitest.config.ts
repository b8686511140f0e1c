import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // vitest leaves one core free by default: on a 2-core machine that is one worker; the suite's two
    // long files (the staged fuzzers) each take one
    maxWorkers: 2,
  },
});
