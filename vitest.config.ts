import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Terraform and the emulator are heavy; two workers fit this 2-core machine.
    maxWorkers: 2,
    reporters: ["default", "./test/reporters/summary-line.ts"],
  },
});
