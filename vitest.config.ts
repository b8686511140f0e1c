import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest files first: without timings from an earlier run (a fresh clone), vitest orders by file
 * size, and the generated-program suites are small files that run for a minute or more.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const long = (f: TestSpecification) => /fuzz\.test\.ts$/.test(f.moduleId);
    const sorted = await super.sort(files);
    return [...sorted.filter(long), ...sorted.filter((f) => !long(f))];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/browser/: the page suite (vitest.browser.config.ts, npm run test:browser)
    exclude: ['test/browser/**', '**/node_modules/**'],
    setupFiles: ['test/setup.ts'],
    // A safety net against hangs, not a speed check: a loaded 2-core machine must not trip it (the
    // generated-program suites, sized by count, set their own: test/gen/budget.ts).
    testTimeout: 300_000,
    pool: 'forks',
    // vitest leaves one core free by default: on a 2-core machine that is one worker; the suite's two
    // long files (the staged fuzzers) each take one
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
  },
});
