import { defineConfig } from "vitest/config";

/**
 * Two projects: pure unit tests (`*.test.ts`), and integration tests (`*.int.test.ts`) that run
 * against a real PostgreSQL — the embedded server started once per run by the global set-up,
 * or the server named by PASSAGE_TEST_DATABASE_URL (CI's second target, Debian's PostgreSQL).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "bench/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**", "packages/web/**"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["packages/*/src/**/*.int.test.ts"],
          exclude: ["**/node_modules/**", "packages/web/**"],
          globalSetup: ["packages/store/src/testing/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "web-unit",
          include: ["packages/web/src/**/*.test.ts", "packages/web/e2e/harness/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/*.e2e.test.ts"],
        },
      },
      {
        // Browser tests: Debian's Chromium against the real `passage serve` (one per run, built and
        // seeded by the global set-up); files one at a time so two browsers never share 2 cores.
        test: {
          name: "web",
          include: ["packages/web/e2e/**/*.e2e.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["packages/web/e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
