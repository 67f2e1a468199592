/** Finds the config a command works on: --example, --config FILE, the default file, or flags alone. */
import { existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { applyConfigFlags, type ConfigFlagValues } from "../config/flags.js";
import { type ConfigIssue, DEFAULT_CONFIG_FILE, parseConfig, readConfigFile } from "../config/load.js";
import type { Config, ConfigInput } from "../config/schema.js";
import { usageError } from "../util/errors.js";
import { examplePath } from "../util/package-root.js";
import { printable } from "../util/printable.js";

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
  else file = findDefaultConfig();
  const passed = Object.values(flags).some((v) => v !== undefined);
  if (file === undefined && !passed)
    throw usageError(
      `no config found (looked for ${DEFAULT_CONFIG_FILE} here${inStackDir() ? " and in the project this stack was synthesized in" : ""}): run \`init\`, or pass --config FILE (or set CLOUDSMITH_LOG_EXPORT_CONFIG) or --example`,
    );

  const base = file === undefined ? {} : ((await readConfigFile(file)) as Partial<ConfigInput>);
  const source = opts.example ? "example" : (file ?? "flags");
  const { config, warnings } = parseConfig(
    applyConfigFlags(base, flags),
    source === "flags" ? "command-line flags (no config file found)" : source,
  );
  return { config, warnings, source };
}

/** Run from a synthesized stack's folder (`<project>/<out>/stacks/<name>`), as the next steps once said to. */
const inStackDir = (): boolean => existsSync("cdk.tf.json");

/**
 * The default config: here, or, from inside a synthesized stack's folder, in the project it was
 * synthesized from (three folders up), so `verify` works wherever the next steps leave the user.
 */
function findDefaultConfig(): string | undefined {
  // The variable the synthesized app reads too: CI sets it once for every command.
  const fromEnv = process.env.CLOUDSMITH_LOG_EXPORT_CONFIG;
  if (fromEnv !== undefined && fromEnv.trim() !== "") return fromEnv;
  if (existsSync(DEFAULT_CONFIG_FILE)) return DEFAULT_CONFIG_FILE;
  if (!inStackDir()) return undefined;
  const project = join("..", "..", "..", DEFAULT_CONFIG_FILE);
  if (!existsSync(project)) return undefined;
  process.stderr.write(`using ${printable(project, 300)} (the project this stack was synthesized in)\n`);
  return project;
}

/** Whether parsed JSON is meant as one of our configs: our `$schema`, or the shape (accountId and bucket). */
function looksLikeConfig(data: unknown): boolean {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  if (typeof d.$schema === "string") return d.$schema.endsWith("cloudsmith-log-export.schema.json");
  return "accountId" in d && "bucket" in d;
}

/**
 * Several configs for `verify`: files, or directories whose *.json files are
 * configs. In a directory, a JSON file that is not a config (a Terraform plan,
 * a report) is skipped and named on stderr; a file named on the command line
 * is always read. None given: the example (--example) or the default file.
 */
export async function resolveConfigs(
  paths: readonly string[],
  opts: { example?: boolean; onSkip?: (file: string, why: string) => void },
): Promise<Array<{ label: string; config: Config }>> {
  if (paths.length === 0) {
    const { config, source } = await resolveConfig({ example: opts.example });
    return [{ label: source, config }];
  }
  if (opts.example) throw usageError("pass either --example or --config, not both");
  const skip =
    opts.onSkip ?? ((file: string, why: string) => process.stderr.write(`skipped ${printable(file, 300)}: ${why}\n`));
  const out: Array<{ label: string; config: Config }> = [];
  for (const p of paths) {
    if (existsSync(p) && statSync(p).isDirectory()) {
      const inDir = (await readdir(p)).filter((f) => f.endsWith(".json")).sort();
      let found = 0;
      for (const f of inDir) {
        const file = join(p, f);
        let data: unknown;
        try {
          data = await readConfigFile(file);
        } catch {
          skip(file, "not JSON this tool can read");
          continue;
        }
        if (!looksLikeConfig(data)) {
          skip(file, "not a cloudsmith-log-export config (no $schema of ours, no accountId and bucket)");
          continue;
        }
        out.push({ label: file, config: parseConfig(data, file).config });
        found++;
      }
      if (found === 0) throw usageError(`${p}: no cloudsmith-log-export config files in this directory`);
    } else {
      out.push({ label: p, config: parseConfig(await readConfigFile(p), p).config });
    }
  }
  return out;
}
