/**
 * `init`: from nothing to a valid config, generated Terraform and the exact
 * message for Cloudsmith. Re-running it offers the existing config's values
 * as defaults, so adding the External ID later is one answer.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { callerAccountId } from "../../aws/caller-identity.js";
import { applyConfigFlags, type ConfigFlagValues } from "../../config/flags.js";
import { DEFAULT_CONFIG_FILE, readConfigFile } from "../../config/load.js";
import type { ConfigInput } from "../../config/schema.js";
import { buildHandoff, renderHandoff } from "../../handoff/message.js";
import type { Prompts } from "../../init/context.js";
import type { TrailChoice } from "../../init/trails.js";
import { runWizard } from "../../init/wizard.js";
import { renderConfig, writeConfigFile } from "../../init/write-config.js";
import { synthToDir } from "../../synth/synth-to-dir.js";
import { usageError } from "../../util/errors.js";
import { colourEnabled, styler } from "../../util/style.js";
import { outputWidth, visibleLength, wrap } from "../../util/wrap.js";
import { invocation } from "../invocation.js";
import { nextSteps } from "../next-steps.js";

export interface InitOptions {
  config?: string;
  out: string;
  yes?: boolean;
  profile?: string;
  synth: boolean;
}

/** Seams for tests: the real prompts, a TTY check and STS by default. */
export interface InitDeps {
  prompts?: Prompts;
  interactive?: boolean;
  callerAccount?: () => Promise<string | undefined>;
  accountTrails?: () => Promise<TrailChoice[] | undefined>;
  accountBuckets?: () => Promise<string[] | undefined>;
  stdout?: (text: string) => void;
}

export async function runInit(opts: InitOptions, flags: ConfigFlagValues, deps: InitDeps = {}): Promise<void> {
  const out = deps.stdout ?? ((t: string) => process.stdout.write(t));
  const s = styler(deps.stdout ? false : colourEnabled());
  const file = opts.config ?? DEFAULT_CONFIG_FILE;
  const exists = existsSync(file);
  const previous = exists ? ((await readConfigFile(file)) as Partial<ConfigInput>) : {};
  const interactive = deps.interactive ?? (process.stdin.isTTY === true && process.stdout.isTTY === true);
  const prompts = deps.prompts ?? ((await import("@inquirer/prompts")) as unknown as Prompts);

  if (exists && interactive) out(`Using the answers in ${file} as defaults.\n`);
  const result = await runWizard({
    draft: structuredClone(applyConfigFlags(previous, flags)) as never,
    fixed: new Set(Object.keys(flags)),
    yes: opts.yes === true,
    interactive,
    prompts,
    callerAccount: deps.callerAccount ?? (() => callerAccountId({ profile: opts.profile, region: flags.region })),
    accountTrails:
      deps.accountTrails ??
      (async () =>
        (await import("../../init/trails.js")).accountTrails({ profile: opts.profile, region: flags.region })),
    accountBuckets:
      deps.accountBuckets ??
      (async () =>
        (await import("../../init/buckets.js")).accountBuckets({ profile: opts.profile, region: flags.region })),
    write: deps.stdout,
  });

  const text = renderConfig(result.draft, file);
  if (exists && (await readFile(file, "utf8")) !== text) {
    if (!interactive && !opts.yes)
      throw usageError(`${file} exists and would change: pass --yes to overwrite it. Nothing was written.`);
    if (interactive && !opts.yes && !(await prompts.confirm({ message: `Overwrite ${file}?`, default: true }))) {
      throw usageError(`kept ${file} as it was; nothing was written.`);
    }
  }

  // Terraform first (atomic per file), then the config: a failure leaves the old config in place.
  const synth = opts.synth ? await synthToDir(result.config, opts.out) : undefined;
  await writeConfigFile(file, text);

  // Every line fits the terminal, wrapped between words under its own indent, never cut mid-word.
  const width = outputWidth();
  const fitLines = (text: string): string =>
    text
      .split("\n")
      .flatMap((line) => {
        if (visibleLength(line) <= width) return [line];
        const indent = /^ */.exec(line)![0];
        const label = /^( *\S[^:]{0,40}: +)/.exec(line)?.[1];
        const hang = label && label.length < width / 2 ? " ".repeat(label.length) : indent;
        return wrap(line.trimStart(), width, indent, hang);
      })
      .join("\n");
  out(fitLines(`\n${s.green("✔")} Wrote ${file}\n`));
  for (const w of result.warnings) out(`  ${s.yellow("warning")}: ${w.path}: ${w.message}\n`);
  if (!synth) return;
  const stackDir = relative(process.cwd(), synth.stackDir) || ".";
  out(
    fitLines(
      `${s.green("✔")} Synthesized ${synth.resourceCount} resources: ${relative(process.cwd(), synth.stackFile)}\n\n`,
    ),
  );
  if (result.config.externalId === undefined) {
    out(
      fitLines(`${s.bold("Next: send this to Cloudsmith")} (support or your account team) to request the export:\n\n`),
    );
    out(
      fitLines(
        renderHandoff(buildHandoff(result.config, "request"), "text").replace(/^/gm, "    ").replace(/ +$/gm, ""),
      ),
    );
    out(
      fitLines(
        `\nWhen Cloudsmith replies with the External ID, run ${s.bold(`${invocation()} init`)} again: your answers are kept.\n`,
      ),
    );
    out(`Then deploy:\n${nextSteps(result.config, stackDir, file).join("\n")}\n`);
  } else {
    out(`${s.bold("Next: deploy")}\n${nextSteps(result.config, stackDir, file).join("\n")}\n`);
  }
}
