/**
 * The one table of config flags, shared by `synth` and `init`: each entry
 * gives the flag, its help, its parser and where its value goes in the
 * config. The commander options (cli/config-flags.ts), the flag values type,
 * the overlay onto a config file and the wizard's flag names all come from it.
 * Flags override the config file; only flags the user actually passed count.
 */
import { usageError } from "../util/errors.js";
import { DEFAULT_PREFIXES, EXCLUDABLE, FORMATS, LOG_TYPES, type LogType } from "./constants.js";
import { mergeConfig } from "./merge.js";
import { normaliseAccountId } from "./rules.js";
import type { ConfigInput } from "./schema.js";

export interface FlagSpec<V> {
  /** Commander's flag syntax: `--name <arg>`, `--name` or `--no-name`. */
  flags: string;
  help: string;
  /** Dotted config path the value is written to; absent for flags combined below (scope, log types, backend). */
  path?: string;
  /** Parses the argument (repeatable flags get the previous value). */
  parse?: (value: string, previous: V | undefined) => V;
  choices?: readonly string[];
  /** Turns the parsed value into the config value (e.g. `key=value` pairs into a map). */
  toConfig?: (value: V) => unknown;
}

const flag = <V = string>(spec: FlagSpec<V>): FlagSpec<V> => spec;
const list = (v: string): string[] =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const int =
  (name: string) =>
  (v: string): number => {
    if (!/^\d+$/.test(v)) throw usageError(`${name} takes a whole number, got '${v}'`);
    return Number(v);
  };

/** In the order `--help` shows them. */
export const CONFIG_FLAGS = {
  organization: flag({ flags: "--organization <slug>", help: "Cloudsmith organization slug", path: "organization" }),
  accountId: flag({
    flags: "--account-id <id>",
    help: "AWS account ID (12 digits; 1234-5678-9012 is fine)",
    parse: (v) => normaliseAccountId(v),
    path: "accountId",
  }),
  region: flag({ flags: "--region <region>", help: "AWS region of the bucket and trail", path: "region" }),
  bucket: flag({ flags: "--bucket <name>", help: "S3 bucket for the exports", path: "bucket.name" }),
  existingBucket: flag<boolean>({
    flags: "--existing-bucket",
    help: "the bucket already exists: do not manage it or its policy",
    path: "bucket.existing",
  }),
  logTypes: flag<string[]>({
    flags: "--log-types <types>",
    help: `log types to export, comma-separated (${LOG_TYPES.join(", ")})`,
    parse: list,
  }),
  clientPrefix: flag({
    flags: "--client-prefix <prefix>",
    help: `prefix for client (download) logs, "" for the bucket root (default: ${DEFAULT_PREFIXES.client})`,
  }),
  auditPrefix: flag({
    flags: "--audit-prefix <prefix>",
    help: `prefix for audit logs, "" for the bucket root (default: ${DEFAULT_PREFIXES.audit})`,
  }),
  roleName: flag({
    flags: "--role-name <name>",
    help: "IAM role Cloudsmith assumes (default: CloudsmithLogsWriter)",
    path: "roleName",
  }),
  format: flag({ flags: "--format <format>", help: "export format", choices: FORMATS, path: "format" }),
  repositories: flag<string[]>({
    flags: "--repositories <slugs>",
    help: "export only these repositories, comma-separated (default: entire organization)",
    parse: list,
  }),
  entireOrg: flag<boolean>({ flags: "--entire-org", help: "export the entire organization" }),
  exclude: flag<string[]>({
    flags: "--exclude <fields>",
    help: `fields Cloudsmith leaves out, comma-separated (${EXCLUDABLE.join(", ")})`,
    parse: list,
    path: "exclude",
  }),
  externalId: flag({ flags: "--external-id <id>", help: "External ID issued by Cloudsmith", path: "externalId" }),
  cloudtrailMode: flag({
    flags: "--cloudtrail-mode <mode>",
    help: "create a trail (create), check an existing one (existing, with --trail-arn), or none",
    path: "cloudtrail.mode",
  }),
  trailArn: flag({
    flags: "--trail-arn <arn>",
    help: "the existing trail to check (with --cloudtrail-mode existing)",
    path: "cloudtrail.trailArn",
  }),
  trailName: flag({ flags: "--trail-name <name>", help: "CloudTrail trail name", path: "cloudtrail.name" }),
  trailPrefix: flag({
    flags: "--trail-prefix <prefix>",
    help: "S3 prefix for CloudTrail log files",
    path: "cloudtrail.prefix",
  }),
  trailBucket: flag({
    flags: "--trail-bucket <name>",
    help: "dedicated trail bucket (with --existing-bucket)",
    path: "cloudtrail.bucket",
  }),
  trailKmsKeyArn: flag({
    flags: "--trail-kms-key-arn <arn>",
    help: "customer KMS key for the trail's log files",
    path: "cloudtrail.kmsKeyArn",
  }),
  multiRegion: flag<boolean>({
    flags: "--no-multi-region",
    help: "record the home region only",
    path: "cloudtrail.multiRegion",
  }),
  dataEvents: flag<boolean>({
    flags: "--no-data-events",
    help: "do not record S3 data events on the export prefixes",
    path: "cloudtrail.dataEvents",
  }),
  kmsKeyArn: flag({
    flags: "--kms-key-arn <arn>",
    help: "encrypt the bucket with this customer KMS key (SSE-KMS) instead of SSE-S3",
    path: "encryption",
    toConfig: (kmsKeyArn) => ({ type: "SSE-KMS", kmsKeyArn }),
  }),
  retentionProfile: flag({
    flags: "--retention-profile <profile>",
    help: "keep the logs as this standard requires (pci-dss: 365 days, 90 immediately available)",
    choices: ["pci-dss"],
    path: "retention.profile",
  }),
  retentionDays: flag<number>({
    flags: "--retention-days <days>",
    help: "keep the logs at least this many days (verify fails lifecycle rules that delete them sooner)",
    parse: int("--retention-days"),
    path: "retention.days",
  }),
  objectLock: flag({
    flags: "--object-lock <mode>",
    help: "with a retention: lock the trail's files in a bucket of their own (governance or compliance; cannot be undone)",
    choices: ["governance", "compliance"],
    path: "retention.objectLock",
    toConfig: (mode) => ({ mode }),
  }),
  athena: flag<boolean>({
    flags: "--athena",
    help: "add the Athena query layer (Glue tables, a workgroup) for investigate --engine athena",
    path: "query.athena",
    toConfig: () => ({}),
  }),
  siemPrincipal: flag({
    flags: "--siem-principal <arn>",
    help: "hand the logs to a SIEM: who it runs as (its SaaS account root, or a collector role); adds queues and a reader role",
    path: "siem.reader.principal",
  }),
  siemExternalId: flag({
    flags: "--siem-external-id <id>",
    help: "the External ID the SIEM issued (needed when its principal is in another account)",
    path: "siem.reader.externalId",
  }),
  siemKmsKeyArn: flag({
    flags: "--siem-kms-key-arn <arn>",
    help: "customer KMS key for the SIEM queues instead of SSE-SQS (its policy must let S3 use it)",
    path: "siem.kmsKeyArn",
  }),
  versioning: flag<boolean>({ flags: "--no-versioning", help: "do not enable bucket versioning", path: "versioning" }),
  expireAfterDays: flag<number>({
    flags: "--expire-after-days <days>",
    help: "expire exported objects after N days",
    parse: int("--expire-after-days"),
    path: "lifecycle.expireAfterDays",
  }),
  tag: flag<string[]>({
    flags: "--tag <key=value>",
    help: "tag every resource (repeatable)",
    parse: collect,
    path: "tags",
    toConfig: (pairs) => parseTags(pairs),
  }),
  backendS3Bucket: flag({ flags: "--backend-s3-bucket <name>", help: "keep Terraform state in this S3 bucket" }),
  backendS3Key: flag({
    flags: "--backend-s3-key <key>",
    help: "state object key (default: cloudsmith-log-export/terraform.tfstate)",
  }),
  backendS3Region: flag({
    flags: "--backend-s3-region <region>",
    help: "region of the state bucket (default: --region)",
  }),
  backendS3DynamodbTable: flag({
    flags: "--backend-s3-dynamodb-table <name>",
    help: "legacy DynamoDB lock table for the S3 backend",
  }),
  backendS3Lockfile: flag<boolean>({
    flags: "--no-backend-s3-lockfile",
    help: "no S3-native state locking (Terraform < 1.10)",
  }),
  auditorPrincipal: flag<string[]>({
    flags: "--auditor-principal <arn>",
    help: "create a read-only auditor role for verify in CI, assumable by this IAM principal (repeatable)",
    parse: collect,
    path: "auditorRole.trustedPrincipals",
  }),
  auditorGithub: flag({
    flags: "--auditor-github <owner/repo>",
    help: "create a read-only auditor role for verify in CI, assumable by this repository's GitHub Actions (OIDC)",
    path: "auditorRole.githubRepository",
  }),
  suppress: flag<string[]>({
    flags: "--suppress <rule=reason>",
    help: "suppress a verify rule, with the reason a reviewer will see (repeatable)",
    parse: collect,
    path: "suppressions",
    toConfig: (pairs) => pairs.map(parseSuppression),
  }),
} as const;

export type ConfigFlagKey = keyof typeof CONFIG_FLAGS;
type ValueOf<S> = S extends FlagSpec<infer V> ? V : never;
/** The parsed values of the flags the user passed. */
export type ConfigFlagValues = { [K in ConfigFlagKey]?: ValueOf<(typeof CONFIG_FLAGS)[K]> };

/** The flag as users type it (`--trail-name`, `--no-data-events`), for messages and the wizard. */
export const flagName = (key: ConfigFlagKey): string => CONFIG_FLAGS[key].flags.split(" ")[0]!;

/** `{a: {b: value}}` for path `a.b`. */
function atPath(path: string, value: unknown): Record<string, unknown> {
  return path
    .split(".")
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

/** Applies passed flags on top of the config read from a file (or `{}`). */
export function applyConfigFlags(base: Partial<ConfigInput>, f: ConfigFlagValues): Partial<ConfigInput> {
  let over: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(f) as Array<[ConfigFlagKey, unknown]>) {
    const spec = CONFIG_FLAGS[key] as FlagSpec<unknown>;
    if (value === undefined || spec.path === undefined) continue;
    over = mergeConfig(over, atPath(spec.path, spec.toConfig ? spec.toConfig(value) : value));
  }
  // Flags that only make sense together.
  if (f.repositories !== undefined && f.entireOrg)
    throw usageError(`pass either ${flagName("repositories")} or ${flagName("entireOrg")}, not both`);
  if (f.repositories !== undefined) over.scope = { type: "repositories", repositories: f.repositories };
  if (f.entireOrg) over.scope = { type: "organization" };
  if (f.backendS3Bucket !== undefined) {
    over.backend = {
      type: "s3",
      bucket: f.backendS3Bucket,
      key: f.backendS3Key ?? "cloudsmith-log-export/terraform.tfstate",
      region: f.backendS3Region ?? f.region ?? base.region,
      dynamodbTable: f.backendS3DynamodbTable,
      useLockfile: f.backendS3Lockfile,
    };
  }
  const merged = mergeConfig(base as Record<string, unknown>, over) as Partial<ConfigInput>;
  const logTypes = applyLogTypeFlags(base.logTypes, f);
  return logTypes === undefined ? merged : { ...merged, logTypes };
}

function applyLogTypeFlags(
  base: ConfigInput["logTypes"] | undefined,
  f: ConfigFlagValues,
): ConfigInput["logTypes"] | undefined {
  const prefixFlags: Partial<Record<LogType, string>> = { client: f.clientPrefix, audit: f.auditPrefix };
  if (f.logTypes === undefined && f.clientPrefix === undefined && f.auditPrefix === undefined) return undefined;
  for (const t of f.logTypes ?? []) {
    if (!(LOG_TYPES as readonly string[]).includes(t))
      throw usageError(`${flagName("logTypes")}: unknown log type '${t}' (use ${LOG_TYPES.join(", ")})`);
  }
  const enabled = (t: LogType): boolean =>
    f.logTypes !== undefined ? f.logTypes.includes(t) : prefixFlags[t] !== undefined || base?.[t] !== undefined;
  const out: NonNullable<ConfigInput["logTypes"]> = {};
  for (const t of LOG_TYPES) {
    if (enabled(t)) out[t] = { prefix: prefixFlags[t] ?? base?.[t]?.prefix ?? DEFAULT_PREFIXES[t] };
  }
  return out;
}

export function parseSuppression(pair: string): { rule: string; reason: string } {
  const i = pair.indexOf("=");
  if (i <= 0) throw usageError(`--suppress takes rule=reason, got '${pair}'`);
  return { rule: pair.slice(0, i), reason: pair.slice(i + 1) };
}

function parseTags(pairs: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i <= 0) throw usageError(`--tag takes key=value, got '${pair}'`);
    tags[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return tags;
}
