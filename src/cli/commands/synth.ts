/** `synth`: validated config in, deterministic Terraform JSON out. */

import { relative } from "node:path";
import { bucketArn, keyPrefix, trailArn } from "../../config/derived.js";
import type { ConfigFlagValues } from "../../config/flags.js";
import { type ConfigIssue, formatIssue } from "../../config/load.js";
import type { Config } from "../../config/schema.js";
import { dataEventsSelector, dataEventsSelectorHcl } from "../../config/trail-selector.js";
import { objectLockConsequences } from "../../handoff/object-lock.js";
import { cloudTrailStatements, type Statement } from "../../iam/policies/index.js";
import { siemFeeds, siemOf } from "../../siem/feeds.js";
import { notificationAdditions, S3_QUEUE_KEY_STATEMENT } from "../../siem/policies.js";
import { type SynthResult, synthToDir } from "../../synth/synth-to-dir.js";
import { stableJson } from "../../util/stable-json.js";
import { colourEnabled, styler } from "../../util/style.js";
import { outputWidth, visibleLength, wrap } from "../../util/wrap.js";
import { nextSteps } from "../next-steps.js";
import { type ConfigSourceOptions, resolveConfig } from "../resolve-config.js";

export interface SynthOptions extends ConfigSourceOptions {
  out: string;
  json?: boolean;
}

/** Statements to merge by hand when the trail should deliver into an existing bucket (its policy is never overwritten). */
export function existingBucketMergeStatements(cfg: Config): Statement[] | undefined {
  if (!cfg.bucket.existing || cfg.cloudtrail.mode !== "create") return undefined;
  return cloudTrailStatements({
    bucketArn: bucketArn(cfg),
    keyPrefix: keyPrefix(cfg.cloudtrail.prefix),
    accountId: cfg.accountId,
    trailArn: trailArn(cfg),
  });
}

/** For each existing bucket the SIEM hand-off feeds: the notification entries to add by hand (its configuration is never written). */
export function existingBucketNotifications(cfg: Config) {
  const feeds = siemFeeds(cfg).filter((f) => !f.managed);
  return feeds.length > 0
    ? feeds.map((f) => ({ bucket: f.bucket, queueConfigurations: notificationAdditions(f) }))
    : undefined;
}

/** The selector an existing trail needs for S3 data events on the export prefixes (mode existing, dataEvents on). */
export function existingTrailSelector(cfg: Config) {
  return cfg.cloudtrail.mode === "existing" && cfg.cloudtrail.dataEvents ? dataEventsSelector(cfg) : undefined;
}

export async function runSynth(opts: SynthOptions, flags: ConfigFlagValues): Promise<void> {
  const { config, warnings, source } = await resolveConfig(opts, flags);
  const result = await synthToDir(config, opts.out);
  const merge = existingBucketMergeStatements(config);
  if (opts.json) {
    process.stdout.write(`${stableJson(synthSummary(config, result, warnings, merge), 2)}\n`);
    return;
  }
  for (const w of warnings) process.stderr.write(`${formatIssue(w).trim()}\n`);
  process.stdout.write(renderSynthText(config, result, merge, source));
}

export function synthSummary(cfg: Config, result: SynthResult, warnings: ConfigIssue[], merge?: Statement[]) {
  return {
    stackDir: relative(process.cwd(), result.stackDir) || ".",
    stackFile: relative(process.cwd(), result.stackFile),
    files: result.files,
    resourceCount: result.resourceCount,
    externalIdVariable: cfg.externalId === undefined,
    warnings,
    existingBucketMergeStatements: merge ?? null,
    existingTrailSelector: existingTrailSelector(cfg) ?? null,
    existingBucketNotifications: existingBucketNotifications(cfg) ?? null,
    objectLockConsequences: objectLockConsequences(cfg) ?? null,
  };
}

export function renderSynthText(cfg: Config, result: SynthResult, merge?: Statement[], source?: string): string {
  const s = styler(colourEnabled());
  const dir = relative(process.cwd(), result.stackDir) || ".";
  const lines = [
    `${s.green("✔")} Synthesized ${result.resourceCount} resources for ${s.bold(cfg.bucket.name)} (account ${cfg.accountId}, ${cfg.region})`,
    `  ${relative(process.cwd(), result.stackFile)}`,
    "",
  ];
  if (merge) {
    lines.push(
      `${s.yellow("!")} ${cfg.bucket.name} is an existing bucket: its policy was left untouched, and the trail delivers to its own bucket.`,
      "  To have the trail deliver into the existing bucket instead, merge these statements into its policy:",
      ...stableJson(merge, 2)
        .split("\n")
        .map((l) => `  ${l}`),
      "",
    );
  }
  const selector = existingTrailSelector(cfg);
  if (cfg.cloudtrail.mode === "existing") {
    lines.push(
      `${s.yellow("!")} No trail is created: verify checks ${cfg.cloudtrail.trailArn}, which is never changed.`,
      ...(selector
        ? [
            "  For S3 data events on the export prefixes, add this advanced event selector to that trail",
            "  (aws cloudtrail put-event-selectors keeps the others only if you pass them too):",
            ...stableJson(selector, 2)
              .split("\n")
              .map((l) => `  ${l}`),
            "  or, in the Terraform that manages the trail:",
            ...dataEventsSelectorHcl(cfg)
              .split("\n")
              .map((l) => `  ${l}`),
          ]
        : []),
      "",
    );
  }
  for (const n of existingBucketNotifications(cfg) ?? []) {
    lines.push(
      `${s.yellow("!")} ${n.bucket} is an existing bucket: its event notifications were left untouched (writing them replaces all of them).`,
      "  For the SIEM queue, add these QueueConfigurations to what get-bucket-notification-configuration returns, then put the whole back:",
      ...stableJson(n.queueConfigurations, 2)
        .split("\n")
        .map((l) => `  ${l}`),
      "",
    );
  }
  const lock = objectLockConsequences(cfg);
  if (lock) lines.push(`${s.yellow("!")} ${lock[0]}`, ...lock.slice(1).map((l) => `  ${l}`), "");
  const queueKey = siemOf(cfg)?.kmsKeyArn;
  if (queueKey) {
    lines.push(
      `${s.yellow("!")} The SIEM queues use ${queueKey}: its key policy must let S3 encrypt notifications, or S3 drops them. Add:`,
      ...stableJson(S3_QUEUE_KEY_STATEMENT, 2)
        .split("\n")
        .map((l) => `  ${l}`),
      "",
    );
  }
  lines.push("Next:", ...nextSteps(cfg, dir, source), "");
  // Prose wraps to the terminal; JSON and HCL blocks (indented, starting with a bracket, quote or
  // name) are kept as they are, to paste.
  const width = outputWidth();
  return lines
    .flatMap((l) =>
      visibleLength(l) <= width || /^\s+[[{}\]"a-z_]/.test(l) ? [l] : wrap(l.trim(), width, l.match(/^\s*/)![0], "  "),
    )
    .join("\n");
}
