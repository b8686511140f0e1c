import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: { include: ['test/.sfz/*.scratch.ts'], testTimeout: 600_000, pool: 'forks' },
});
