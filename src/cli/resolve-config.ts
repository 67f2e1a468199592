/** Finds the config a command works on: --example, --config FILE, the default file, or flags alone. */
import { existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { applyConfigFlags, type ConfigFlagValues } from "../config/flags.js";
import { type ConfigIssue, DEFAULT_CONFIG_FILE, parseConfig, readConfigFile } from "../config/load.js";
import type { Config, ConfigInput } from "../config/schema.js";
import { usageError } from "../util/errors.js";
import { examplePath } from "../util/package-root.js";

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
  const { config, warnings } = parseConfig(
    applyConfigFlags(base, flags),
    source === "flags" ? "command-line flags (no config file found)" : source,
  );
  return { config, warnings, source };
}

/**
 * Several configs for `verify`: files, or directories whose *.json files are
 * configs. None given: the example (--example) or the default file.
 */
export async function resolveConfigs(
  paths: readonly string[],
  opts: { example?: boolean },
): Promise<Array<{ label: string; config: Config }>> {
  if (paths.length === 0) {
    const { config, source } = await resolveConfig({ example: opts.example });
    return [{ label: source, config }];
  }
  if (opts.example) throw usageError("pass either --example or --config, not both");
  const files: string[] = [];
  for (const p of paths) {
    if (existsSync(p) && statSync(p).isDirectory()) {
      const inDir = (await readdir(p)).filter((f) => f.endsWith(".json")).sort();
      if (inDir.length === 0) throw usageError(`${p}: no *.json config files in this directory`);
      files.push(...inDir.map((f) => join(p, f)));
    } else files.push(p);
  }
  const out: Array<{ label: string; config: Config }> = [];
  for (const file of files) {
    const { config } = parseConfig(await readConfigFile(file), file);
    out.push({ label: file, config });
  }
  return out;
}
