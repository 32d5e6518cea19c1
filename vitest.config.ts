import { defineConfig } from "vitest/config";

// Fault tests kill bot processes, cut the database and time people's patience: they run last, one file at a time,
// so no other test file competes with them for the two cores.
const faultTests = [
  "test/reliability/crash-restart.e2e.test.ts",
  "test/reliability/database-outage.e2e.test.ts",
  "test/reliability/api-faults.e2e.test.ts",
  "test/reliability/webhook-cluster.e2e.test.ts",
];

export default defineConfig({
  test: {
    globalSetup: ["test/helpers/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores: end-to-end files each run a bot and a database; more workers only fight for CPU.
    maxWorkers: 2,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: { name: "svidok", include: ["test/**/*.test.ts"], exclude: faultTests, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "faults", include: faultTests, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
