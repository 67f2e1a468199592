/** Finds the config a command works on: --example, --config FILE, the default file, or flags alone. */
import { existsSync } from "node:fs";
import { DEFAULT_CONFIG_FILE, parseConfig, readConfigFile, type ConfigIssue } from "../config/load.js";
import type { Config, ConfigInput } from "../config/schema.js";
import { examplePath } from "../util/package-root.js";
import { applyConfigFlags, type ConfigFlagValues } from "./config-flags.js";
import { usageError } from "./errors.js";

export interface ConfigSourceOptions {
  config?: string;
  example?: boolean;
}

export interface ResolvedConfig {
  config: Config;
  warnings: ConfigIssue[];
  /** Where the config came from, for messages: a path, "example", or "flags". */
  source: string;
}

export async function resolveConfig(opts: ConfigSourceOptions, flags: ConfigFlagValues = {}): Promise<ResolvedConfig> {
  if (opts.example && opts.config) throw usageError("pass either --example or --config, not both");
  let file: string | undefined;
  if (opts.example) file = examplePath();
  else if (opts.config) file = opts.config;
  else if (existsSync(DEFAULT_CONFIG_FILE)) file = DEFAULT_CONFIG_FILE;

  const base = file === undefined ? {} : ((await readConfigFile(file)) as Partial<ConfigInput>);
  const source = opts.example ? "example" : (file ?? "flags");
  const { config, warnings } = parseConfig(applyConfigFlags(base, flags), source === "flags" ? "command-line flags (no config file found)" : source);
  return { config, warnings, source };
}
