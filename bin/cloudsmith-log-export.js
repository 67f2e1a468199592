#!/usr/bin/env node
// Kept tiny: every command loads its own modules when it runs, so --help stays fast.
import module from "node:module";

module.enableCompileCache?.();
// The SDK's "Node 20 support ends" notice is for SDK app developers; this CLI pins its SDK version.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
let cli;
try {
  cli = await import("../dist/bundle/main.js");
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/bundle/main.js")) {
    console.error("cloudsmith-log-export: not built yet; run `npm run build` in this clone.");
    process.exit(2);
  }
  throw error;
}
process.exitCode = await cli.main(process.argv);
