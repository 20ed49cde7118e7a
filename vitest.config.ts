import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // ffmpeg work is CPU-bound and the machine has 2 cores: one test file at a time keeps timings sane.
    fileParallelism: false,
  },
});
