import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The engine is shared; two files at once keep the 2-core machine busy without starving it.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/fixtures.test.ts', 'test/e2e/**/*.test.ts'],
          // Builds the stand-in images and starts the local registries once, before any container test.
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
