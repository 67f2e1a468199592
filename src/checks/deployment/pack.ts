/** The deployment checks: role, trust, permissions, buckets, trail and key, live or from Terraform. */
import { bucketArn, partition, roleArn, trailArn, trailBucketName } from "../../config/derived.js";
import { failed } from "../../engine/fact.js";
import { loadActionCatalog } from "../../iam/action-catalog.js";
import { definePack } from "../pack.js";
import { bucketArns, hasTrail } from "../shared.js";
import { actionsIn } from "./actions-in.js";
import type { BucketFacts, DeploymentFacts } from "./facts.js";
import { terraformLocator } from "./locate.js";
import { RULES } from "./rules/index.js";

export const deploymentPack = definePack<undefined, DeploymentFacts>({
  id: "deployment",
  groups: [
    ["role", "Role"],
    ["trust", "Trust policy"],
    ["permissions", "Permissions"],
    ["bucket", "Bucket"],
    ["trail", "CloudTrail"],
    ["retention", "Retention"],
    ["analyzer", "IAM Access Analyzer"],
  ],
  rules: RULES,
  configFields: {
    role: ["roleName", "accountId"],
    trust: ["externalId", "roleName", "accountId"],
    permissions: ["roleName", "accountId"],
    analyzer: ["roleName", "accountId"],
    bucket: ["bucket"],
    retention: ["retention", "lifecycle"],
    trail: ["cloudtrail"],
  },
  permissions: [
    {
      sid: "ReadTheExportRole",
      operations: ["IAM.GetRole", "IAM.ListRolePolicies", "IAM.GetRolePolicy", "IAM.ListAttachedRolePolicies"],
      resources: (cfg) => [roleArn(cfg)],
      on: "the export role",
      why: "the role, its trust policy, inline and attached policies",
    },
    {
      sid: "ReadItsManagedPolicies",
      operations: ["IAM.GetPolicy", "IAM.GetPolicyVersion"],
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
      resources: bucketArns,
      on: "the export bucket and the trail bucket",
      why: "existence, owner, policy, encryption, ownership, Block Public Access, payer",
    },
    {
      sid: "ReadTheRetention",
      operations: ["S3.GetBucketLifecycleConfiguration"],
      when: (cfg) => cfg.retention !== undefined,
      resources: bucketArns,
      on: "the export bucket and the trail bucket",
      why: "with retention in the config: lifecycle rules that would remove evidence early",
    },
    {
      sid: "ReadTheObjectLock",
      operations: ["S3.GetObjectLockConfiguration"],
      when: (cfg) => cfg.retention?.objectLock !== undefined,
      resources: (cfg) => [bucketArn(cfg, trailBucketName(cfg))],
      on: "the trail bucket",
      why: "with retention.objectLock: the trail's files are locked for the retention",
    },
    {
      sid: "ReadTheTrail",
      operations: ["CloudTrail.GetTrail", "CloudTrail.GetTrailStatus", "CloudTrail.GetEventSelectors"],
      when: hasTrail,
      resources: (cfg) => [trailArn(cfg)],
      on: "the trail",
      why: "settings, logging status and event selectors",
    },
    {
      sid: "ReadTheBucketKey",
      operations: ["KMS.GetKeyPolicy", "KMS.ListGrants"],
      when: (cfg) => cfg.encryption.type === "SSE-KMS",
      resources: (cfg) => (cfg.encryption.type === "SSE-KMS" ? [cfg.encryption.kmsKeyArn] : []),
      on: "the bucket's KMS key (SSE-KMS)",
      why: "the key policy and grants the role's writes depend on",
    },
    {
      sid: "AccessAnalyzerChecks",
      operations: ["AccessAnalyzer.ValidatePolicy", "AccessAnalyzer.CheckNoNewAccess"],
      when: (_cfg, on) => on.analyzer !== false,
      resources: () => ["*"],
      on: "* (no resource-level permissions)",
      why: "IAM Access Analyzer's second opinion on the policies (not on an emulator)",
    },
  ],
  async prepare(ctx, facts) {
    facts.source = "aws";
    if (ctx.options.staticPath === undefined) return;
    // A missing or unreadable file is the user's input problem (exit 2), not a check result.
    const { readTerraformSource } = await import("./collect/static/terraform.js");
    const file = await readTerraformSource(ctx.options.staticPath, {
      partition: partition(ctx.config),
      accountId: ctx.config.accountId,
    });
    facts.source = file.kind;
    facts.terraformFile = file;
  },
  async collect(ctx, _options, facts) {
    if (facts.terraformFile) {
      const { factsFromTerraform } = await import("./collect/static/facts.js");
      Object.assign(facts, factsFromTerraform(ctx.config, facts.terraformFile));
      return;
    }
    const { collectLive } = await import("./collect/live/index.js");
    const clients = await ctx.clients();
    Object.assign(
      facts,
      await collectLive(
        ctx.config,
        ctx.options.aws,
        (done, total) => ctx.progress(done, total, "Reading AWS…"),
        clients,
      ),
    );
  },
  fail(facts, detail) {
    const f = failed<never>(detail);
    const bucket = (name: string): BucketFacts => ({
      name,
      exists: f,
      publicAccessBlock: f,
      ownership: f,
      policy: f,
      requestPayer: f,
      encryption: f,
    });
    const exportBucket = bucket(facts.config.bucket.name);
    Object.assign(facts, {
      role: f,
      rolePolicies: f,
      permissionsBoundary: f,
      exportBucket,
      trailBucket: exportBucket,
      trail: f,
      trailStatus: f,
      trailDeliveryError: f,
      eventSelectors: f,
      kmsKeyPolicy: f,
      kmsGrants: f,
      analyzerFindings: f,
      analyzerNoNewAccess: f,
    } satisfies Omit<DeploymentFacts, "source" | "config" | "terraformFile">);
  },
  // Wildcards in the policies read are expanded from AWS's action list: load the part they name.
  beforeRules: (facts) => loadActionCatalog(actionsIn(facts)),
  locator: (facts) => (facts.terraformFile ? terraformLocator(facts.terraformFile) : undefined),
});
