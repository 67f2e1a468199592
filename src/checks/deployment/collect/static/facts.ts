/**
 * DeploymentFacts from Terraform (synthesized JSON or a plan), for `verify --static`.
 * Unknown-after-apply values become `unknown` facts (ERROR, never PASS);
 * what Terraform does not describe (an existing bucket, delivery errors,
 * Access Analyzer, the caller) becomes `skip`.
 */

import { trailBucketName } from "../../../../config/derived.js";
import type { Config } from "../../../../config/schema.js";
import { absent, type Fact, failed, present, skip, unknown } from "../../../../engine/fact.js";
import type { PolicyDocument } from "../../../../iam/policies/types.js";
import { parsePolicyText } from "../../../../iam/policies/validate.js";
import type {
  AdvancedSelector,
  BasicSelector,
  BucketFacts,
  DeploymentFacts,
  IdentityPolicyFact,
  LifecycleRuleView,
  ObjectLockView,
} from "../../facts.js";
import { block, blocks, type TfResource, type TfSource, UNKNOWN } from "./terraform.js";

type Json = Record<string, unknown>;

function value<T>(v: unknown, what: string): Fact<T> {
  if (v === UNKNOWN) return unknown(what);
  return v === undefined || v === null ? absent(`${what} is not set`) : present(v as T);
}

function policyFact(v: unknown, what: string): Fact<PolicyDocument> {
  if (v === UNKNOWN)
    return unknown(`${what} contains values set at apply time (for example var.cloudsmith_external_id)`);
  if (v === null || v === undefined || v === "") return absent(`${what} is not set`);
  // Not text, not JSON, or JSON that is not a policy: its rules are ERROR, never PASS.
  if (typeof v !== "string") return failed(`${what} is not a policy document: its value is not JSON text`);
  try {
    return present(parsePolicyText(v, what));
  } catch (e) {
    return failed((e as Error).message);
  }
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

/** What Terraform writes for "not set": null, "" (a plan made after apply), or an empty list or map. */
const isNone = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && Object.keys(v).length === 0);

/** No boundary (null in the Terraform), one known only after apply, or one whose document Terraform does not hold. */
function boundaryFact(v: unknown): Fact<PolicyDocument | null> {
  if (v === UNKNOWN) return unknown("the permissions boundary");
  if (isNone(v)) return present(null);
  return failed(
    `the permissions boundary ${String(v)} is a policy outside this Terraform; verify against AWS to read it`,
  );
}

/** Whether any value inside is known only after apply. */
const hasUnknown = (v: unknown, depth = 0): boolean =>
  v === UNKNOWN ||
  (depth < 8 && v !== null && typeof v === "object" && Object.values(v).some((x) => hasUnknown(x, depth + 1)));

/** aws_s3_bucket_lifecycle_configuration's rules, as the live collector reduces S3's. */
function lifecycleFact(r: TfResource): Fact<LifecycleRuleView[]> {
  if (hasUnknown(r.values.rule)) return unknown("lifecycle rules");
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  return present(
    blocks(r.values.rule).map((rule) => {
      const filter = block(rule.filter);
      const and = block(filter?.and);
      const exp = block(rule.expiration);
      const nc = block(rule.noncurrent_version_expiration);
      const narrowedBy = [
        ...(!isNone(filter?.tag) || !isNone(and?.tags) ? ["tags"] : []),
        ...(num(filter?.object_size_greater_than) || num(and?.object_size_greater_than) ? ["a minimum size"] : []),
        ...(num(filter?.object_size_less_than) || num(and?.object_size_less_than) ? ["a maximum size"] : []),
      ];
      return {
        id: String(rule.id ?? "(no id)"),
        enabled: rule.status === "Enabled",
        prefix: String(filter?.prefix ?? and?.prefix ?? rule.prefix ?? ""),
        narrowedBy,
        ...(num(exp?.days) ? { expirationDays: num(exp?.days) } : {}),
        ...(!isNone(exp?.date) ? { expirationDate: String(exp?.date) } : {}),
        ...(num(nc?.noncurrent_days) ? { noncurrentDays: num(nc?.noncurrent_days) } : {}),
        noncurrentTransitions: blocks(rule.noncurrent_version_transition).map((t) => ({
          ...(num(t.noncurrent_days) !== undefined ? { days: num(t.noncurrent_days) } : {}),
          storageClass: String(t.storage_class ?? ""),
        })),
        transitions: blocks(rule.transition).map((t) => ({
          ...(num(t.days) !== undefined ? { days: num(t.days) } : {}),
          ...(!isNone(t.date) ? { date: String(t.date) } : {}),
          storageClass: String(t.storage_class ?? ""),
        })),
      };
    }),
  );
}

/** aws_s3_bucket's object_lock_enabled and aws_s3_bucket_object_lock_configuration's default retention. */
function objectLockFact(bucket: TfResource | undefined, conf: TfResource | undefined): Fact<ObjectLockView> {
  const enabled = bucket?.values.object_lock_enabled;
  const d = block(block(conf?.values.rule)?.default_retention);
  if (enabled === UNKNOWN || hasUnknown(d)) return unknown("the Object Lock settings");
  if (enabled !== true) return absent("object_lock_enabled is not set on the bucket");
  return present({
    enabled: true,
    ...(d?.mode ? { mode: String(d.mode) } : {}),
    ...(typeof d?.days === "number" ? { days: d.days } : {}),
    ...(typeof d?.years === "number" ? { years: d.years } : {}),
  });
}

function bucketFacts(cfg: Config, src: TfSource, name: string, existing: boolean): BucketFacts {
  if (existing) {
    const why = skip<never>("an existing bucket is not in the Terraform; run verify against AWS to check it");
    return {
      name,
      exists: why,
      publicAccessBlock: why,
      ownership: why,
      policy: why,
      requestPayer: why,
      encryption: why,
      ...(cfg.retention ? { lifecycle: why } : {}),
      ...(cfg.retention?.objectLock ? { objectLock: why } : {}),
    };
  }
  const on = (type: string): TfResource | undefined =>
    src.resources.find((r) => r.type === type && r.values.bucket === name);
  const bucket = src.resources.find((r) => r.type === "aws_s3_bucket" && r.values.bucket === name);
  const pab = on("aws_s3_bucket_public_access_block");
  const own = on("aws_s3_bucket_ownership_controls");
  const pol = on("aws_s3_bucket_policy");
  const pay = on("aws_s3_bucket_request_payment_configuration");
  const enc = on("aws_s3_bucket_server_side_encryption_configuration");
  const encRule = blocks(enc?.values.rule)[0];
  const byDefault = block(encRule?.apply_server_side_encryption_by_default);
  const life = on("aws_s3_bucket_lifecycle_configuration");
  const pabValues = pab?.values ?? {};
  const flags = ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"];
  return {
    name,
    exists: bucket ? present({ region: cfg.region }) : absent(`no aws_s3_bucket named ${name}`),
    publicAccessBlock: !pab
      ? absent("no aws_s3_bucket_public_access_block")
      : flags.some((f) => pabValues[f] === UNKNOWN)
        ? unknown("public access block settings")
        : present({
            BlockPublicAcls: pabValues.block_public_acls === true,
            IgnorePublicAcls: pabValues.ignore_public_acls === true,
            BlockPublicPolicy: pabValues.block_public_policy === true,
            RestrictPublicBuckets: pabValues.restrict_public_buckets === true,
          }),
    ownership: own
      ? value<string>(block(own.values.rule)?.object_ownership, "object ownership")
      : absent("no aws_s3_bucket_ownership_controls"),
    policy: pol ? policyFact(pol.values.policy, "the bucket policy") : absent("no aws_s3_bucket_policy"),
    // New buckets are owner-pays unless configured otherwise.
    requestPayer: pay ? value<string>(pay.values.payer, "payer") : present("BucketOwner"),
    ...(cfg.retention ? { lifecycle: life ? lifecycleFact(life) : absent<LifecycleRuleView[]>("no lifecycle") } : {}),
    ...(cfg.retention?.objectLock
      ? { objectLock: objectLockFact(bucket, on("aws_s3_bucket_object_lock_configuration")) }
      : {}),
    // S3 encrypts new buckets with SSE-S3 unless configured otherwise.
    encryption: !enc
      ? present({ algorithm: "AES256" })
      : byDefault?.sse_algorithm === UNKNOWN ||
          byDefault?.kms_master_key_id === UNKNOWN ||
          encRule?.bucket_key_enabled === UNKNOWN
        ? unknown("default encryption")
        : present({
            algorithm: String(byDefault?.sse_algorithm ?? "AES256"),
            kmsKeyId: byDefault?.kms_master_key_id as string | undefined,
            bucketKeyEnabled: encRule?.bucket_key_enabled === true,
          }),
  };
}

function rolePolicies(cfg: Config, src: TfSource, role: TfResource): IdentityPolicyFact[] {
  const ofRole = (r: TfResource) => r.values.role === cfg.roleName;
  const inline = src.resources
    .filter((r) => r.type === "aws_iam_role_policy" && ofRole(r))
    .map(
      (r): IdentityPolicyFact => ({
        name: String(r.values.name ?? r.name),
        kind: "inline",
        document: policyFact(r.values.policy, `inline policy ${r.name}`),
      }),
    );
  const embedded = blocks(role.values.inline_policy).map(
    (b): IdentityPolicyFact => ({
      name: String(b.name ?? "inline"),
      kind: "inline",
      document: policyFact(b.policy, "inline_policy"),
    }),
  );
  const arns = [
    ...src.resources
      .filter((r) => r.type === "aws_iam_role_policy_attachment" && ofRole(r))
      .map((r) => r.values.policy_arn),
    ...(strings(role.values.managed_policy_arns) ?? []),
  ];
  const managed = arns.map((arn): IdentityPolicyFact => {
    const own = src.resources.find((r) => r.type === "aws_iam_policy" && r.values.arn === arn && arn !== UNKNOWN);
    return {
      name: arn === UNKNOWN ? "(policy created by this Terraform)" : String(arn),
      kind: "managed",
      arn: arn === UNKNOWN ? undefined : String(arn),
      document: own
        ? policyFact(own.values.policy, `policy ${own.name}`)
        : unknown(
            arn === UNKNOWN
              ? "an attached policy's ARN"
              : `the document of managed policy ${String(arn)}, which is not in the Terraform`,
          ),
    };
  });
  return [...inline, ...embedded, ...managed];
}

function selectors(trail: TfResource): { basic: BasicSelector[]; advanced: AdvancedSelector[] } {
  return {
    basic: blocks(trail.values.event_selector).map((e) => ({
      readWriteType: (e.read_write_type as string | undefined) ?? "All",
      includeManagementEvents: (e.include_management_events as boolean | undefined) ?? true,
      excludeManagementEventSources: strings(e.exclude_management_event_sources),
      dataResources: blocks(e.data_resource).map((d) => ({ type: String(d.type), values: strings(d.values) ?? [] })),
    })),
    advanced: blocks(trail.values.advanced_event_selector).map((a) => ({
      name: a.name as string | undefined,
      fieldSelectors: blocks(a.field_selector).map((f: Json) => ({
        field: String(f.field),
        equals: strings(f.equals),
        notEquals: strings(f.not_equals),
        startsWith: strings(f.starts_with),
        notStartsWith: strings(f.not_starts_with),
        endsWith: strings(f.ends_with),
        notEndsWith: strings(f.not_ends_with),
      })),
    })),
  };
}

export function factsFromTerraform(cfg: Config, src: TfSource): DeploymentFacts {
  const roleRes = src.resources.find((r) => r.type === "aws_iam_role" && r.values.name === cfg.roleName);
  const exportBucket = bucketFacts(cfg, src, cfg.bucket.name, cfg.bucket.existing);
  const ownTrail = cfg.cloudtrail.mode === "create";
  const trailBucket =
    !ownTrail || trailBucketName(cfg) === cfg.bucket.name
      ? exportBucket
      : bucketFacts(cfg, src, trailBucketName(cfg), false);
  const trailRes = ownTrail
    ? src.resources.find((r) => r.type === "aws_cloudtrail" && r.values.name === cfg.cloudtrail.name)
    : undefined;
  const grants = src.resources.filter((r) => r.type === "aws_kms_grant");
  const notObservable = (what: string) =>
    skip<never>(`${what} is only observable on a deployment (run verify against AWS)`);
  const noTrail =
    cfg.cloudtrail.mode === "existing"
      ? skip<never>("an existing trail is not in the Terraform; run verify against AWS to check it")
      : absent<never>(`no aws_cloudtrail named ${cfg.cloudtrail.name}`);

  const kmsKey = cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined;
  return {
    source: src.kind,
    config: cfg,
    role: roleRes
      ? present({
          name: cfg.roleName,
          path: typeof roleRes.values.path === "string" ? roleRes.values.path : "/",
          trustPolicy: policyFact(roleRes.values.assume_role_policy, "the trust policy"),
          permissionsBoundaryArn: isNone(roleRes.values.permissions_boundary)
            ? undefined
            : (roleRes.values.permissions_boundary as string),
          tags: staticTags(roleRes.values.tags),
        })
      : absent(`no aws_iam_role named ${cfg.roleName}`),
    rolePolicies: roleRes ? present(rolePolicies(cfg, src, roleRes)) : absent("no role"),
    permissionsBoundary: boundaryFact(roleRes?.values.permissions_boundary),
    exportBucket,
    trailBucket,
    trail: trailRes
      ? present({
          name: cfg.cloudtrail.name,
          homeRegion: cfg.region,
          s3BucketName: trailRes.values.s3_bucket_name as string | undefined,
          s3KeyPrefix: trailRes.values.s3_key_prefix as string | undefined,
          isMultiRegionTrail: trailRes.values.is_multi_region_trail === true,
          includeGlobalServiceEvents: trailRes.values.include_global_service_events !== false,
          logFileValidationEnabled: trailRes.values.enable_log_file_validation === true,
          kmsKeyId: trailRes.values.kms_key_id as string | undefined,
          cloudWatchLogsLogGroupArn: trailRes.values.cloud_watch_logs_group_arn as string | undefined,
        })
      : noTrail,
    trailStatus: trailRes ? present({ isLogging: trailRes.values.enable_logging !== false }) : noTrail,
    trailDeliveryError: notObservable("a delivery error"),
    eventSelectors: trailRes ? present(selectors(trailRes)) : noTrail,
    // The key policy belongs to the key's owner, outside this Terraform.
    kmsKeyPolicy: kmsKey ? unknown("the key policy is not in the Terraform") : skip("the bucket uses SSE-S3"),
    kmsGrants: !kmsKey
      ? skip("the bucket uses SSE-S3")
      : grants.some((g) => g.values.grantee_principal === UNKNOWN)
        ? unknown("a KMS grant's grantee")
        : present(
            grants
              .filter((g) => g.values.key_id === kmsKey)
              .map((g) => ({
                granteePrincipal: String(g.values.grantee_principal),
                operations: strings(g.values.operations) ?? [],
              })),
          ),
    analyzerFindings: notObservable("IAM Access Analyzer"),
    analyzerNoNewAccess: notObservable("IAM Access Analyzer"),
  };
}

/** A resource's `tags` as Terraform has them: a map, none, or known only after apply. */
function staticTags(v: unknown): Record<string, string> | "unknown" {
  if (v === UNKNOWN) return "unknown";
  if (v === null || v === undefined || typeof v !== "object" || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === UNKNOWN || typeof x !== "string") return "unknown";
    out[k] = x;
  }
  return out;
}
