import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Terraform and the emulator are heavy; two workers fit this 2-core machine.
    maxWorkers: 2,
    reporters: ["default", "./test/reporters/summary-line.ts"],
    // The SDK's "Node 20 support ends" notice, as the CLI does for its users.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
