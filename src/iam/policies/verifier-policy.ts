/**
 * The least-privilege IAM policy `verify` needs, from the calls its collectors
 * make. OPERATIONS maps each SDK operation to the IAM action it needs; NEEDS
 * says which operations each option sends and on what. A test runs the
 * collectors with every option and proves each call they send is here, and
 * `verify --print-iam-policy`, the README's permission table and synth's
 * optional auditor role all come from this one table.
 */
import {
  bucketArn,
  exportTargets,
  keyPrefix,
  partition,
  roleArn,
  trailArn,
  trailBucketName,
} from "../../config/derived.js";
import type { Config } from "../../config/schema.js";
import type { PolicyDocument, Statement } from "./types.js";

/** The IAM action each SDK operation (`Service.Operation`, as --debug prints it) needs; [] for none. */
export const OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  "STS.GetCallerIdentity": [],
  "IAM.GetRole": ["iam:GetRole"],
  "IAM.ListRolePolicies": ["iam:ListRolePolicies"],
  "IAM.GetRolePolicy": ["iam:GetRolePolicy"],
  "IAM.ListAttachedRolePolicies": ["iam:ListAttachedRolePolicies"],
  "IAM.GetPolicy": ["iam:GetPolicy"],
  "IAM.GetPolicyVersion": ["iam:GetPolicyVersion"],
  "S3.HeadBucket": ["s3:ListBucket"],
  "S3.GetBucketPolicy": ["s3:GetBucketPolicy"],
  "S3.GetBucketEncryption": ["s3:GetEncryptionConfiguration"],
  "S3.GetBucketOwnershipControls": ["s3:GetBucketOwnershipControls"],
  "S3.GetPublicAccessBlock": ["s3:GetBucketPublicAccessBlock"],
  "S3.GetBucketRequestPayment": ["s3:GetBucketRequestPayment"],
  "S3.ListObjectsV2": ["s3:ListBucket"],
  "S3.GetObject": ["s3:GetObject"],
  "CloudTrail.GetTrail": ["cloudtrail:GetTrail"],
  "CloudTrail.GetTrailStatus": ["cloudtrail:GetTrailStatus"],
  "CloudTrail.GetEventSelectors": ["cloudtrail:GetEventSelectors"],
  "CloudTrail.ListPublicKeys": ["cloudtrail:ListPublicKeys"],
  "KMS.GetKeyPolicy": ["kms:GetKeyPolicy"],
  "KMS.ListGrants": ["kms:ListGrants"],
  "AccessAnalyzer.ValidatePolicy": ["access-analyzer:ValidatePolicy"],
  "AccessAnalyzer.CheckNoNewAccess": ["access-analyzer:CheckNoNewAccess"],
};

/** What the run will do: the same switches as verify's flags. */
export interface PolicyOptions {
  delivery?: boolean;
  integrity?: boolean;
  /** IAM Access Analyzer runs only against AWS itself (not with --endpoint-url). */
  analyzer?: boolean;
}

interface Need {
  sid: string;
  /** SDK operations, or `kms:Decrypt` (S3 calls it for the reader on SSE-KMS objects). */
  operations: readonly string[];
  /** Which runs send them. */
  when: (o: PolicyOptions, cfg: Config) => boolean;
  resources: (cfg: Config) => string[];
  /** For the README: what the resources are. */
  on: string;
  why: string;
  condition?: (cfg: Config) => Statement["Condition"];
}

const hasTrail = (cfg: Config) => cfg.cloudtrail.mode !== "none";
/** An existing trail's bucket is whatever GetTrail says: unknown until the run reads it. */
const trailBucket = (cfg: Config) => (cfg.cloudtrail.mode === "create" ? trailBucketName(cfg) : "*");
const trailFiles = (cfg: Config) => {
  const prefix = cfg.cloudtrail.mode === "create" ? keyPrefix(cfg.cloudtrail.prefix) : "*";
  return `arn:${partition(cfg)}:s3:::${trailBucket(cfg)}/${prefix}AWSLogs/*`;
};
const decryptKeys = (cfg: Config, o: PolicyOptions) =>
  [
    o.delivery && cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined,
    (o.delivery || o.integrity) && hasTrail(cfg) ? cfg.cloudtrail.kmsKeyArn : undefined,
  ].filter((k): k is string => k !== undefined);

const NEEDS: readonly Need[] = [
  {
    sid: "ReadTheExportRole",
    operations: ["IAM.GetRole", "IAM.ListRolePolicies", "IAM.GetRolePolicy", "IAM.ListAttachedRolePolicies"],
    when: () => true,
    resources: (cfg) => [roleArn(cfg)],
    on: "the export role",
    why: "the role, its trust policy, inline and attached policies",
  },
  {
    sid: "ReadItsManagedPolicies",
    operations: ["IAM.GetPolicy", "IAM.GetPolicyVersion"],
    when: () => true,
    resources: (cfg) => [
      `arn:${partition(cfg)}:iam::${cfg.accountId}:policy/*`,
      `arn:${partition(cfg)}:iam::aws:policy/*`,
    ],
    on: "the account's and AWS's managed policies",
    why: "attached policies and the permissions boundary",
  },
  {
    sid: "ReadTheBuckets",
    operations: [
      "S3.HeadBucket",
      "S3.GetBucketPolicy",
      "S3.GetBucketEncryption",
      "S3.GetBucketOwnershipControls",
      "S3.GetPublicAccessBlock",
      "S3.GetBucketRequestPayment",
    ],
    when: () => true,
    resources: (cfg) => [bucketArn(cfg), ...(hasTrail(cfg) ? [bucketArn(cfg, trailBucket(cfg))] : [])],
    on: "the export bucket and the trail bucket",
    why: "existence, owner, policy, encryption, ownership, Block Public Access, payer",
  },
  {
    sid: "ReadTheTrail",
    operations: ["CloudTrail.GetTrail", "CloudTrail.GetTrailStatus", "CloudTrail.GetEventSelectors"],
    when: (_o, cfg) => hasTrail(cfg),
    resources: (cfg) => [trailArn(cfg)],
    on: "the trail",
    why: "settings, logging status and event selectors",
  },
  {
    sid: "ReadTheBucketKey",
    operations: ["KMS.GetKeyPolicy", "KMS.ListGrants"],
    when: (_o, cfg) => cfg.encryption.type === "SSE-KMS",
    resources: (cfg) => (cfg.encryption.type === "SSE-KMS" ? [cfg.encryption.kmsKeyArn] : []),
    on: "the bucket's KMS key (SSE-KMS)",
    why: "the key policy and grants the role's writes depend on",
  },
  {
    sid: "AccessAnalyzerChecks",
    operations: ["AccessAnalyzer.ValidatePolicy", "AccessAnalyzer.CheckNoNewAccess"],
    when: (o) => o.analyzer !== false,
    resources: () => ["*"],
    on: "* (no resource-level permissions)",
    why: "IAM Access Analyzer's second opinion on the policies (not on an emulator)",
  },
  {
    // The same permission as HeadBucket's, on the same buckets: one statement.
    sid: "ReadTheBuckets",
    operations: ["S3.ListObjectsV2"],
    when: (o) => Boolean(o.delivery || o.integrity),
    resources: (cfg) => [bucketArn(cfg), ...(hasTrail(cfg) ? [bucketArn(cfg, trailBucket(cfg))] : [])],
    on: "the export bucket and the trail bucket",
    why: "--delivery and --integrity: the newest exports, log files and digests",
  },
  {
    sid: "ReadExports",
    operations: ["S3.GetObject"],
    when: (o) => Boolean(o.delivery),
    resources: (cfg) => exportTargets(cfg).map((t) => t.objectArn),
    on: "objects under the export prefixes",
    why: "--delivery: parse the newest export of each log type",
  },
  {
    sid: "ReadTrailFiles",
    operations: ["S3.GetObject"],
    when: (o, cfg) => Boolean(o.delivery || o.integrity) && hasTrail(cfg),
    resources: (cfg) => [trailFiles(cfg)],
    on: "CloudTrail files under `[prefix/]AWSLogs/`",
    why: "--delivery and --integrity: log files and digests (the role's and the trail's start come from the reads above)",
  },
  {
    sid: "CloudTrailPublicKeys",
    operations: ["CloudTrail.ListPublicKeys"],
    when: (o, cfg) => Boolean(o.integrity) && hasTrail(cfg),
    resources: () => ["*"],
    on: "* (no resource-level permissions)",
    why: "--integrity: the keys that sign the digests",
  },
  {
    sid: "DecryptWhatItReads",
    operations: ["kms:Decrypt"],
    when: (o, cfg) => decryptKeys(cfg, o).length > 0,
    resources: () => [],
    on: "the bucket's and the trail's KMS keys, through S3 only",
    why: "--delivery and --integrity on SSE-KMS objects (S3 decrypts for the reader)",
    condition: (cfg) => ({ StringEquals: { "kms:ViaService": `s3.${cfg.region}.amazonaws.com` } }),
  },
];

/** The IAM actions the operations need. */
const actionsOf = (operations: readonly string[]) =>
  operations.flatMap((op) => (op.includes(":") ? [op] : (OPERATIONS[op] ?? [])));

/** The SDK operations a run with these options may send (what the coverage test checks calls against). */
export function operationsFor(cfgs: readonly Config[], o: PolicyOptions): Set<string> {
  const ops = new Set<string>(["STS.GetCallerIdentity"]);
  for (const cfg of cfgs)
    for (const n of NEEDS) if (n.when(o, cfg)) for (const op of n.operations) if (!op.includes(":")) ops.add(op);
  return ops;
}

/** The policy for the role `verify` runs as, for every config given (merged per statement). */
export function verifierPolicy(cfgs: readonly Config[], o: PolicyOptions): PolicyDocument {
  const statements = new Map<string, { actions: Set<string>; resources: Set<string>; condition?: unknown }>();
  for (const cfg of cfgs) {
    for (const n of NEEDS) {
      if (!n.when(o, cfg)) continue;
      const resources = n.sid === "DecryptWhatItReads" ? decryptKeys(cfg, o) : n.resources(cfg);
      const s = statements.get(n.sid) ?? { actions: new Set(), resources: new Set(), condition: n.condition?.(cfg) };
      for (const a of actionsOf(n.operations)) s.actions.add(a);
      for (const r of resources) s.resources.add(r);
      statements.set(n.sid, s);
    }
  }
  return {
    Version: "2012-10-17",
    Statement: [...statements]
      .filter(([, s]) => s.actions.size > 0 && s.resources.size > 0)
      .map(([sid, s]) => {
        const resources = s.resources.has("*") ? ["*"] : [...s.resources].sort();
        return {
          Sid: sid,
          Effect: "Allow",
          Action: [...s.actions].sort(),
          Resource: resources.length === 1 ? resources[0]! : resources,
          ...(s.condition ? { Condition: s.condition as Statement["Condition"] } : {}),
        };
      }),
  };
}

/** Rows for the README: each statement, its calls, actions, resources and why. */
export function permissionRows(): string[][] {
  return NEEDS.map((n) => [
    n.sid,
    n.operations.join(", "),
    [...new Set(actionsOf(n.operations))].join(", "),
    n.on,
    n.why,
  ]);
}
