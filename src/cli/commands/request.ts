/** `request`: the message to send Cloudsmith, from the config. */
import { buildHandoff, type HandoffFormat, type HandoffStage, renderHandoff } from "../../handoff/message.js";
import { type ConfigSourceOptions, resolveConfig } from "../resolve-config.js";

export interface RequestOptions extends ConfigSourceOptions {
  format: HandoffFormat;
  stage?: HandoffStage;
}

export async function runRequest(opts: RequestOptions): Promise<void> {
  const { config } = await resolveConfig(opts);
  process.stdout.write(renderHandoff(buildHandoff(config, opts.stage), opts.format));
}
