/**
 * Reading, merging and validating the config. Every problem is collected and
 * reported together, naming the field, the value and the rule.
 */
import type { z } from "zod";
import { decodeUtf8, InputFileError, JsonTextError, MiB, parseJsonText, readFileBytes } from "../util/json-file.js";
import { exportTargets, trailBucketName } from "./derived.js";
import { configJsonSchema } from "./json-schema.js";
import { checkBucketName, kmsKeyLocation } from "./rules.js";
import { type Config, type ConfigInput, ConfigSchema } from "./schema.js";

export { DEFAULT_CONFIG_FILE } from "./constants.js";

export { ConfigError, type ConfigIssue, formatIssue } from "./errors.js";

import { ConfigError, type ConfigIssue } from "./errors.js";

const pathOf = (path: PropertyKey[]): string => (path.length === 0 ? "(config)" : path.map(String).join("."));

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** What a JSON value is, in words: "the number 12", "true", "a list". */
function described(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the text ${JSON.stringify(value).slice(0, 60)}`;
  return `the ${typeof value} ${String(value)}`;
}

const EXPECTED: Record<string, string> = {
  string: "text in quotes",
  number: "a number",
  boolean: "true or false",
  array: "a list [...]",
  object: "an object {...}",
};

/** A type mismatch in words a person writing JSON by hand can act on. */
function typeMessage(expected: string, value: unknown, path: PropertyKey[]): string {
  const want = EXPECTED[expected] ?? expected;
  if (expected === "string" && typeof value === "number" && path[path.length - 1] === "accountId")
    return `must be ${want}, e.g. "012345678901" (as a number, leading zeros are lost), not ${described(value)}`;
  return `must be ${want}, not ${described(value)}`;
}

/** The edit distance between two short names (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The field names the schema allows at a path (every branch of a choice such as `scope` or `encryption`). */
function knownKeysAt(path: PropertyKey[]): string[] {
  let nodes: Array<Record<string, unknown>> = [configJsonSchema()];
  const branches = (n: Record<string, unknown>): Array<Record<string, unknown>> => [
    n,
    ...((n.anyOf ?? n.oneOf ?? n.allOf ?? []) as Array<Record<string, unknown>>).flatMap(branches),
  ];
  for (const key of path) {
    nodes = nodes.flatMap(branches).flatMap((n) => {
      if (typeof key === "number") return n.items ? [n.items as Record<string, unknown>] : [];
      const props = n.properties as Record<string, Record<string, unknown>> | undefined;
      const extra = n.additionalProperties;
      return props?.[String(key)]
        ? [props[String(key)]!]
        : extra && typeof extra === "object"
          ? [extra as Record<string, unknown>]
          : [];
    });
  }
  return [
    ...new Set(nodes.flatMap(branches).flatMap((n) => Object.keys((n.properties as object | undefined) ?? {}))),
  ].filter((k) => k !== "$schema");
}

/** "did you mean 'multiRegion'?" for a misspelt field: same letters in another case, or one or two edits away. */
function suggestion(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  const scored = known
    .map((k) => ({ k, d: distance(lower, k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.min(2, Math.floor(k.length / 3)))
    .sort((a, b) => a.d - b.d);
  return scored[0]?.k;
}

function toIssues(error: z.ZodError, input: unknown): ConfigIssue[] {
  return error.issues.map((i) => {
    const value = "input" in i && i.input !== undefined ? i.input : valueAt(input, i.path);
    let message = i.message;
    if (i.code === "unrecognized_keys") {
      const known = knownKeysAt(i.path);
      message = i.keys
        .map((k) => {
          const close = suggestion(k, known);
          return `unknown field '${k}'${close ? ` (did you mean '${close}'?)` : ""}`;
        })
        .join("; ");
      if (!message.includes("did you mean") && known.length > 0)
        message += ` (allowed here: ${known.slice(0, 12).join(", ")}${known.length > 12 ? ", ..." : ""})`;
    }
    if (i.code === "invalid_type" && value !== undefined) message = typeMessage(String(i.expected), value, i.path);
    if (i.code === "invalid_type" && value === undefined) message = "required field is missing";
    return {
      path: pathOf(i.path),
      value: typeof value === "object" ? undefined : value,
      message,
      severity: "error" as const,
    };
  });
}

/** Validates raw config data; throws ConfigError listing every problem. */
export function parseConfig(input: unknown, source?: string): { config: Config; warnings: ConfigIssue[] } {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(toIssues(result.error, input), source);
  return { config: result.data, warnings: configWarnings(result.data) };
}

/** Things that are allowed but deserve a second look; never blocking. */
export function configWarnings(cfg: Config): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string) =>
    warnings.push({ path, value, message, severity: "warning" });

  for (const p of checkBucketName(cfg.bucket.name, { existing: cfg.bucket.existing })) {
    if (p.severity === "warning") add("bucket.name", cfg.bucket.name, p.rule);
  }
  // A key in another account works only if its policy lets this account use it: say so.
  for (const [path, arn] of [
    ["encryption.kmsKeyArn", cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined],
    ["cloudtrail.kmsKeyArn", cfg.cloudtrail.kmsKeyArn],
  ] as const) {
    const at = arn ? kmsKeyLocation(arn) : undefined;
    if (at && at.account !== cfg.accountId)
      add(
        path,
        arn,
        `the key is in account ${at.account}, not ${cfg.accountId}: its key policy there must let this account use it (the generated grant needs kms:CreateGrant on it)`,
      );
  }
  const targets = exportTargets(cfg);
  if (targets.length === 2 && targets[0]!.prefix === targets[1]!.prefix) {
    add(
      "logTypes.audit.prefix",
      targets[1]!.prefix,
      "both log types share one prefix; one folder per type is recommended",
    );
  }
  const trailInExportBucket = cfg.cloudtrail.mode === "create" && trailBucketName(cfg) === cfg.bucket.name;
  if (trailInExportBucket && cfg.cloudtrail.dataEvents && targets.some((t) => t.prefix === "")) {
    add(
      "cloudtrail.dataEvents",
      true,
      "an export prefix is the bucket root, so S3 data events also record CloudTrail's own deliveries; give each log type a prefix",
    );
  }
  if (
    trailInExportBucket &&
    targets.some((t) => t.prefix !== "" && `${cfg.cloudtrail.prefix}/`.startsWith(`${t.prefix}/`))
  ) {
    add(
      "cloudtrail.prefix",
      cfg.cloudtrail.prefix,
      "the trail prefix lies inside an export prefix; keep CloudTrail files apart from Cloudsmith's",
    );
  }
  if (cfg.cloudtrail.mode === "none") {
    add("cloudtrail.mode", "none", "without a trail, CodeArtifact downloads and Cloudsmith's writes are not audited");
  }
  return warnings;
}

/** The largest config file taken: configs are a few KiB; a bigger one is not a config. */
export const MAX_CONFIG_BYTES = MiB;

/**
 * Reads and parses the JSON file; a missing, oversized or non-regular file,
 * bad UTF-8, bad JSON, comments or a key given twice are a ConfigError naming
 * the line.
 */
export async function readConfigFile(file: string): Promise<unknown> {
  const problem = (message: string) => new ConfigError([{ path: "(config)", value: file, message, severity: "error" }]);
  let bytes: Buffer;
  try {
    bytes = await readFileBytes(file, { maxBytes: MAX_CONFIG_BYTES });
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw problem(
      e.problem === "no such file or directory"
        ? "config file not found (create one with `cloudsmith-log-export init`)"
        : e.problem.includes("larger than")
          ? `${e.problem}: not a config file`
          : `cannot read config file: ${e.problem}`,
    );
  }
  try {
    const value = await parseJsonText(decodeUtf8(bytes));
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw problem(`must be a JSON object {...}, not ${described(value)}`);
    return value;
  } catch (e) {
    if (e instanceof JsonTextError) throw problem(e.message);
    throw e;
  }
}

export { mergeConfig } from "./merge.js";

export type { Config, ConfigInput };
