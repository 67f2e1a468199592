/**
 * The synth adapter: the one entry point from the CLI into CDKTF. Synthesizes
 * the stack into `outdir` with cdktf's standard layout
 * (`stacks/<name>/cdk.tf.json` + `manifest.json`) and no cdktf-cli.
 */
import { App } from "cdktf";
import type { Config } from "../src/config/schema.js";
import { CloudsmithLogExportStack, STACK_NAME } from "./export-stack.js";

export { EXTERNAL_ID_VARIABLE, STACK_NAME } from "./export-stack.js";

export function synthesizeStack(config: Config, outdir: string): void {
  const app = new App({ outdir, stackTraces: false, hclOutput: false });
  new CloudsmithLogExportStack(app, STACK_NAME, { config });
  app.synth();
}
