import { defineConfig } from "vitest/config";

// Two projects: `unit` needs nothing outside Node (seconds); `integration` starts the AWS
// emulator, runs Terraform or drives a terminal under tmux. `npm test` runs both.
const INTEGRATION = "test/**/*.integration.test.ts";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Terraform and the emulator are heavy; two workers fit this 2-core machine.
    maxWorkers: 2,
    reporters: ["default", "./test/reporters/summary-line.ts"],
    // The SDK's "Node 20 support ends" notice, as the CLI does for its users.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [INTEGRATION] } },
      { extends: true, test: { name: "integration", include: [INTEGRATION] } },
    ],
  },
});
