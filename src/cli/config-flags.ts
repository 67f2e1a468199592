/**
 * One flag per config field, shared by `synth` and `init`. Flags override the
 * config file; only flags the user actually passed count (commander's value
 * source), so a default never masks a value from the file.
 */
import { Option, type Command } from "commander";
import { DEFAULT_PREFIXES, EXCLUDABLE, FORMATS, LOG_TYPES, type LogType } from "../config/constants.js";
import type { ConfigInput } from "../config/schema.js";
import { mergeConfig } from "../config/merge.js";
import { usageError } from "../util/errors.js";

const list = (v: string): string[] => v.split(",").map((s) => s.trim()).filter((s) => s !== "");
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const int = (name: string) => (v: string): number => {
  if (!/^\d+$/.test(v)) throw usageError(`${name} takes a whole number, got '${v}'`);
  return Number(v);
};

/** Flags in the order `--help` shows them. */
export function addConfigFlags(cmd: Command): Command {
  return cmd
    .option("--organization <slug>", "Cloudsmith organization slug")
    .option("--account-id <id>", "AWS account ID (12 digits)")
    .option("--region <region>", "AWS region of the bucket and trail")
    .option("--bucket <name>", "S3 bucket for the exports")
    .option("--existing-bucket", "the bucket already exists: do not manage it or its policy")
    .addOption(new Option("--log-types <types>", `log types to export, comma-separated (${LOG_TYPES.join(", ")})`).argParser(list))
    .option("--client-prefix <prefix>", `prefix for client (download) logs, "" for the bucket root (default ${DEFAULT_PREFIXES.client})`)
    .option("--audit-prefix <prefix>", `prefix for audit logs, "" for the bucket root (default ${DEFAULT_PREFIXES.audit})`)
    .option("--role-name <name>", "IAM role Cloudsmith assumes (default CloudsmithLogsWriter)")
    .addOption(new Option("--format <format>", "export format").choices([...FORMATS]))
    .addOption(new Option("--repositories <slugs>", "export only these repositories, comma-separated (default: entire organization)").argParser(list))
    .option("--entire-org", "export the entire organization")
    .addOption(new Option("--exclude <fields>", `fields Cloudsmith leaves out, comma-separated (${EXCLUDABLE.join(", ")})`).argParser(list))
    .option("--external-id <id>", "External ID issued by Cloudsmith")
    .option("--no-cloudtrail", "do not create a CloudTrail trail")
    .option("--trail-name <name>", "CloudTrail trail name")
    .option("--trail-prefix <prefix>", "S3 prefix for CloudTrail log files")
    .option("--trail-bucket <name>", "dedicated trail bucket (with --existing-bucket)")
    .option("--trail-kms-key-arn <arn>", "customer KMS key for the trail's log files")
    .option("--no-multi-region", "record the home region only")
    .option("--no-data-events", "do not record S3 data events on the export prefixes")
    .option("--kms-key-arn <arn>", "encrypt the bucket with this customer KMS key (SSE-KMS) instead of SSE-S3")
    .option("--no-versioning", "do not enable bucket versioning")
    .addOption(new Option("--expire-after-days <days>", "expire exported objects after N days").argParser(int("--expire-after-days")))
    .addOption(new Option("--tag <key=value>", "tag every resource (repeatable)").argParser(collect))
    .option("--backend-s3-bucket <name>", "keep Terraform state in this S3 bucket")
    .option("--backend-s3-key <key>", "state object key (default cloudsmith-log-export/terraform.tfstate)")
    .option("--backend-s3-region <region>", "region of the state bucket (default: --region)")
    .option("--backend-s3-dynamodb-table <name>", "legacy DynamoDB lock table for the S3 backend")
    .option("--no-backend-s3-lockfile", "no S3-native state locking (Terraform < 1.10)")
    .addOption(new Option("--suppress <rule=reason>", "suppress a verify rule, with the reason a reviewer will see (repeatable)").argParser(collect));
}

/** The subset of parsed options this module reads. */
export interface ConfigFlagValues {
  organization?: string;
  accountId?: string;
  region?: string;
  bucket?: string;
  existingBucket?: boolean;
  logTypes?: string[];
  clientPrefix?: string;
  auditPrefix?: string;
  roleName?: string;
  format?: string;
  repositories?: string[];
  entireOrg?: boolean;
  exclude?: string[];
  externalId?: string;
  cloudtrail?: boolean;
  trailName?: string;
  trailPrefix?: string;
  trailBucket?: string;
  trailKmsKeyArn?: string;
  multiRegion?: boolean;
  dataEvents?: boolean;
  kmsKeyArn?: string;
  versioning?: boolean;
  expireAfterDays?: number;
  tag?: string[];
  backendS3Bucket?: string;
  backendS3Key?: string;
  backendS3Region?: string;
  backendS3DynamodbTable?: string;
  backendS3Lockfile?: boolean;
  suppress?: string[];
}

/** Keeps only the options the user passed (not commander's defaults for --no-* flags). */
export function passedFlags(cmd: Command): ConfigFlagValues {
  const opts = cmd.opts<Record<string, unknown>>();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    const source = cmd.getOptionValueSource(k);
    if (source === "cli" || source === "env") out[k] = v;
  }
  return out as ConfigFlagValues;
}

/** Applies passed flags on top of the config read from a file (or `{}`). */
export function applyConfigFlags(base: Partial<ConfigInput>, f: ConfigFlagValues): Partial<ConfigInput> {
  const over: Record<string, unknown> = {
    organization: f.organization,
    accountId: f.accountId,
    region: f.region,
    roleName: f.roleName,
    format: f.format,
    externalId: f.externalId,
    versioning: f.versioning,
    exclude: f.exclude,
  };
  if (f.bucket !== undefined || f.existingBucket !== undefined) over.bucket = { name: f.bucket, existing: f.existingBucket };
  if (f.repositories !== undefined && f.entireOrg) throw usageError("pass either --repositories or --entire-org, not both");
  if (f.repositories !== undefined) over.scope = { type: "repositories", repositories: f.repositories };
  if (f.entireOrg) over.scope = { type: "organization" };
  over.cloudtrail = {
    enabled: f.cloudtrail,
    name: f.trailName,
    prefix: f.trailPrefix,
    bucket: f.trailBucket,
    kmsKeyArn: f.trailKmsKeyArn,
    multiRegion: f.multiRegion,
    dataEvents: f.dataEvents,
  };
  if (f.kmsKeyArn !== undefined) over.encryption = { type: "SSE-KMS", kmsKeyArn: f.kmsKeyArn };
  if (f.expireAfterDays !== undefined) over.lifecycle = { expireAfterDays: f.expireAfterDays };
  if (f.tag !== undefined) over.tags = parseTags(f.tag);
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
  if (f.suppress !== undefined) over.suppressions = f.suppress.map(parseSuppression);

  const merged = mergeConfig(base as Record<string, unknown>, over) as Partial<ConfigInput>;
  const logTypes = applyLogTypeFlags(base.logTypes, f);
  return logTypes === undefined ? merged : { ...merged, logTypes };
}

function applyLogTypeFlags(base: ConfigInput["logTypes"] | undefined, f: ConfigFlagValues): ConfigInput["logTypes"] | undefined {
  const prefixFlags: Partial<Record<LogType, string>> = { client: f.clientPrefix, audit: f.auditPrefix };
  if (f.logTypes === undefined && f.clientPrefix === undefined && f.auditPrefix === undefined) return undefined;
  for (const t of f.logTypes ?? []) {
    if (!(LOG_TYPES as readonly string[]).includes(t)) throw usageError(`--log-types: unknown log type '${t}' (use ${LOG_TYPES.join(", ")})`);
  }
  const enabled = (t: LogType): boolean =>
    f.logTypes !== undefined ? f.logTypes.includes(t) : prefixFlags[t] !== undefined || base?.[t] !== undefined;
  const out: NonNullable<ConfigInput["logTypes"]> = {};
  for (const t of LOG_TYPES) {
    if (enabled(t)) out[t] = { prefix: prefixFlags[t] ?? base?.[t]?.prefix ?? DEFAULT_PREFIXES[t] };
  }
  return out;
}

function parseSuppression(pair: string): { rule: string; reason: string } {
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
