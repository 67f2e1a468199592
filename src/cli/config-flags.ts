/**
 * The config flags of `synth` and `init` as commander options, from the one
 * table in config/flags.ts. Only flags the user actually passed count
 * (commander's value source), so a default never masks a value from the file.
 */
import { type Command, Option } from "commander";
import { CONFIG_FLAGS, type ConfigFlagValues, type FlagSpec } from "../config/flags.js";

export { applyConfigFlags, type ConfigFlagValues } from "../config/flags.js";

export function addConfigFlags(cmd: Command): Command {
  for (const spec of Object.values(CONFIG_FLAGS) as FlagSpec<unknown>[]) {
    const option = new Option(spec.flags, spec.help);
    if (spec.choices) option.choices(spec.choices);
    if (spec.parse) option.argParser(spec.parse);
    cmd.addOption(option);
  }
  return cmd;
}

/** Keeps only the options the user passed (not commander's defaults for --no-* flags). */
export function passedFlags(cmd: Command): ConfigFlagValues {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(CONFIG_FLAGS)) {
    const source = cmd.getOptionValueSource(key);
    if (source === "cli" || source === "env") out[key] = cmd.getOptionValue(key);
  }
  return out as ConfigFlagValues;
}
