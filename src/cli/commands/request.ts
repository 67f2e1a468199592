/** `request`: the message to send Cloudsmith, from the config. */
import { buildHandoff, type HandoffFormat, type HandoffStage, renderHandoff } from "../../handoff/message.js";
import { type ConfigSourceOptions, resolveConfig } from "../resolve-config.js";

export interface RequestOptions extends ConfigSourceOptions {
  format: HandoffFormat;
  stage?: HandoffStage;
}

export async function runRequest(opts: RequestOptions): Promise<void> {
  const { config } = await resolveConfig(opts);
  const handoff = buildHandoff(config, opts.stage);
  process.stdout.write(renderHandoff(handoff, opts.format));
  // The message names the role as if it exists; only the user knows whether it was applied.
  if (handoff.stage !== "request")
    process.stderr.write(
      "note: send this once `terraform apply` has created the role (`cloudsmith-log-export verify` proves it is right)\n",
    );
}
