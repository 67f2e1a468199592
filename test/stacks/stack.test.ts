import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  expectedExportBucketPolicy,
  expectedTrailBucketPolicy,
  expectedTrustPolicy,
  expectedWriterPolicy,
  trustPolicy,
} from "../../src/iam/policies/index.js";
import { verifierPolicy } from "../../src/verify/iam-policy.js";
import { runCli } from "../helpers/cli.js";
import { base, configOf, KMS_KEY, variants, withAuditor } from "../helpers/configs.js";
import { onlyResource, resourcesOf, synthVariant, type TfJson } from "../helpers/synth.js";

const policyOf = (r: TfJson, key = "policy") => JSON.parse(r[key] as string);
const types = (tf: TfJson) => Object.keys(tf.resource ?? {}).sort();

describe("default variant", async () => {
  const { tf } = await synthVariant(variants.default!);
  const cfg = configOf(variants.default!);

  it("pins the provider range, the account and the region", () => {
    expect(tf.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: ">= 5.100, < 7" });
    expect(tf.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(tf.provider.aws).toEqual([{ region: "us-east-1", allowed_account_ids: ["123456789012"] }]);
  });

  it("creates exactly the expected resources", () => {
    expect(types(tf)).toEqual([
      "aws_cloudtrail",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_s3_bucket",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
    ]);
  });

  it("hardens the bucket", () => {
    expect(onlyResource(tf, "aws_s3_bucket")).toMatchObject({ bucket: "cloudsmith-acme-logs" });
    expect(onlyResource(tf, "aws_s3_bucket").force_destroy).toBeUndefined();
    expect(onlyResource(tf, "aws_s3_bucket_ownership_controls").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
    expect(onlyResource(tf, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(tf, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(onlyResource(tf, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    const policy = onlyResource(tf, "aws_s3_bucket_policy");
    expect(policyOf(policy)).toEqual(expectedExportBucketPolicy(cfg));
    expect(policy.depends_on).toEqual(
      expect.arrayContaining(["aws_s3_bucket_public_access_block.export_bucket_public_access_block"]),
    );
  });

  it("grants CloudTrail exactly AclCheck and Write, scoped to this trail", () => {
    const statements = policyOf(onlyResource(tf, "aws_s3_bucket_policy")).Statement;
    const trailArn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/cloudsmith-log-export";
    expect(statements).toEqual([
      expect.objectContaining({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
      expect.objectContaining({
        Sid: "AWSCloudTrailAclCheck",
        Action: "s3:GetBucketAcl",
        Resource: "arn:aws:s3:::cloudsmith-acme-logs",
        Condition: { StringEquals: { "aws:SourceArn": trailArn } },
      }),
      expect.objectContaining({
        Sid: "AWSCloudTrailWrite",
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::cloudsmith-acme-logs/cloudtrail/AWSLogs/123456789012/*",
        Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
      }),
    ]);
  });

  it("creates the role Cloudsmith is told about, trusting only Cloudsmith with the External ID", () => {
    const role = onlyResource(tf, "aws_iam_role");
    expect(role).toMatchObject({ name: "CloudsmithLogsWriter", path: "/" });
    expect(role.name_prefix).toBeUndefined();
    expect(policyOf(role, "assume_role_policy")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CloudsmithAssumeRoleWithExternalId",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::884446598447:root" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": "cs-ext-0123456789" } },
        },
      ],
    });
    expect(tf.variable).toBeUndefined();
  });

  it("lets the role put objects under the export prefixes and nothing else", () => {
    const writer = onlyResource(tf, "aws_iam_role_policy");
    expect(writer.role).toBe("${aws_iam_role.cloudsmith_role.id}");
    expect(policyOf(writer)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CloudsmithLogExportWrite",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:PutObjectAcl"],
          Resource: [
            "arn:aws:s3:::cloudsmith-acme-logs/audit-logs/*",
            "arn:aws:s3:::cloudsmith-acme-logs/client-logs/*",
          ],
        },
      ],
    });
  });

  it("records read+write management events, validates log files, and audits the export prefixes", () => {
    const trail = onlyResource(tf, "aws_cloudtrail");
    expect(trail).toMatchObject({
      name: "cloudsmith-log-export",
      s3_bucket_name: "${aws_s3_bucket.export_bucket_bucket.bucket}",
      s3_key_prefix: "cloudtrail",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      depends_on: ["aws_s3_bucket_policy.export_bucket_policy"],
    });
    expect(trail.event_selector).toBeUndefined();
    expect(trail.advanced_event_selector).toEqual([
      {
        name: "Management events (read and write)",
        field_selector: [{ field: "eventCategory", equals: ["Management"] }],
      },
      {
        name: "S3 data events on the Cloudsmith export prefixes",
        field_selector: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          {
            field: "resources.ARN",
            starts_with: [
              "arn:aws:s3:::cloudsmith-acme-logs/client-logs/",
              "arn:aws:s3:::cloudsmith-acme-logs/audit-logs/",
            ],
          },
        ],
      },
    ]);
    // No readOnly selector anywhere: CodeArtifact downloads are read-only management events.
    expect(JSON.stringify(trail.advanced_event_selector)).not.toContain("readOnly");
  });

  it("outputs what the hand-off and verify need, with the External ID sensitive", () => {
    expect(Object.keys(tf.output).sort()).toEqual([
      "bucket_name",
      "external_id",
      "prefixes",
      "role_arn",
      "role_name",
      "trail_arn",
    ]);
    expect(tf.output.external_id).toEqual({ sensitive: true, value: "cs-ext-0123456789" });
    expect(tf.output.prefixes.value).toEqual({ client: "client-logs", audit: "audit-logs" });
    expect(tf.output.role_arn.value).toBe("${aws_iam_role.cloudsmith_role.arn}");
  });
});

describe("variants", () => {
  it("existing bucket: no bucket resources and no policy on it; the trail gets its own bucket", async () => {
    const input = variants["existing bucket"]!;
    const { tf } = await synthVariant(input);
    const buckets = Object.values(resourcesOf(tf, "aws_s3_bucket")).map((b) => b.bucket);
    expect(buckets).toEqual(["acme-existing-logs-trail"]);
    const policies = Object.values(resourcesOf(tf, "aws_s3_bucket_policy"));
    expect(policies).toHaveLength(1);
    expect(policies[0]!.bucket).toBe("${aws_s3_bucket.trail_bucket_bucket.id}");
    expect(JSON.stringify(tf.resource)).not.toMatch(/"bucket":"acme-existing-logs"/);
    expect(policyOf(policies[0]!)).toEqual(expectedTrailBucketPolicy(configOf(input)));
    expect(policyOf(onlyResource(tf, "aws_iam_role_policy")).Statement[0].Resource).toEqual([
      "arn:aws:s3:::acme-existing-logs/audit-logs/*",
      "arn:aws:s3:::acme-existing-logs/client-logs/*",
    ]);
    expect(onlyResource(tf, "aws_cloudtrail").s3_bucket_name).toBe("${aws_s3_bucket.trail_bucket_bucket.bucket}");
    expect(tf.output.bucket_name.value).toBe("acme-existing-logs");
  });

  it.each([
    ["client logs only", ["arn:aws:s3:::cloudsmith-acme-logs/client-logs/*"], { client: "client-logs" }],
    ["audit logs only", ["arn:aws:s3:::cloudsmith-acme-logs/audit-logs/*"], { audit: "audit-logs" }],
    ["no prefix", ["arn:aws:s3:::cloudsmith-acme-logs/*"], { client: "" }],
  ])("%s: the writer policy covers exactly the configured prefixes", async (name, resources, prefixes) => {
    const input = variants[name]!;
    const { tf } = await synthVariant(input);
    const writer = policyOf(onlyResource(tf, "aws_iam_role_policy"));
    expect(writer.Statement).toHaveLength(1);
    expect(writer.Statement[0].Resource).toEqual(resources);
    expect(writer).toEqual(expectedWriterPolicy(configOf(input)));
    expect(tf.output.prefixes.value).toEqual(prefixes);
    const selectors = onlyResource(tf, "aws_cloudtrail").advanced_event_selector;
    if (name === "no prefix") expect(selectors).toHaveLength(1);
    else expect(selectors[1].field_selector[2].starts_with).toEqual(resources.map((r) => r.slice(0, -1)));
  });

  it("KMS: SSE-KMS with a bucket key, kms:GenerateDataKey for the role, a grant, and a key on the trail", async () => {
    const { tf } = await synthVariant(variants.kms!);
    expect(onlyResource(tf, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KMS_KEY },
        bucket_key_enabled: true,
      },
    ]);
    expect(policyOf(onlyResource(tf, "aws_iam_role_policy")).Statement[1]).toEqual({
      Sid: "CloudsmithLogExportKms",
      Effect: "Allow",
      Action: "kms:GenerateDataKey",
      Resource: KMS_KEY,
    });
    expect(onlyResource(tf, "aws_kms_grant")).toMatchObject({
      key_id: KMS_KEY,
      grantee_principal: "${aws_iam_role.cloudsmith_role.arn}",
      operations: ["GenerateDataKey"],
    });
    expect(onlyResource(tf, "aws_cloudtrail").kms_key_id).toBe(KMS_KEY);
  });

  it("SSE-S3 (the default) asks for no KMS permission at all", async () => {
    const { tf } = await synthVariant(variants.default!);
    expect(JSON.stringify(tf)).not.toMatch(/kms:/);
    expect(resourcesOf(tf, "aws_kms_grant")).toEqual({});
  });

  it("no External ID: a required, validated variable feeds the trust policy", async () => {
    const { tf } = await synthVariant(variants["no external id"]!);
    const v = tf.variable.cloudsmith_external_id;
    expect(v).toMatchObject({ type: "string", nullable: false, sensitive: true });
    expect(v.default).toBeUndefined();
    expect(v.validation[0].condition).toContain("length(var.cloudsmith_external_id) >= 2");
    expect(v.validation[0].condition).toContain('regex("^[\\\\w+=,.@:/-]+$", var.cloudsmith_external_id)');
    expect(policyOf(onlyResource(tf, "aws_iam_role"), "assume_role_policy")).toEqual(
      trustPolicy({ principalArn: "arn:aws:iam::884446598447:root", externalId: "${var.cloudsmith_external_id}" }),
    );
    expect(tf.output.external_id).toEqual({ sensitive: true, value: "${var.cloudsmith_external_id}" });
  });

  it("CloudTrail off: no trail, and the bucket policy is TLS-only", async () => {
    const input = variants["cloudtrail off"]!;
    const { tf } = await synthVariant(input);
    expect(resourcesOf(tf, "aws_cloudtrail")).toEqual({});
    expect(policyOf(onlyResource(tf, "aws_s3_bucket_policy")).Statement.map((s: TfJson) => s.Sid)).toEqual([
      "DenyInsecureTransport",
    ]);
    expect(tf.output.trail_arn).toBeUndefined();
    expect(policyOf(onlyResource(tf, "aws_iam_role"), "assume_role_policy")).toEqual(
      expectedTrustPolicy(configOf(input)),
    );
  });

  it("retention: overwritten and deleted versions of the evidence are kept the profile's days, current ones never expired; verify --static holds it", async () => {
    const input = { ...base, retention: { profile: "pci-dss" as const } };
    const dir = await mkdtemp(join(tmpdir(), "cle-retention-"));
    const { tf, result } = await synthVariant(input, join(dir, "out"));
    const retain = (name: string, prefix: string) => ({
      id: `retain-${name}`,
      status: "Enabled",
      filter: [{ prefix }],
      noncurrent_version_expiration: [{ noncurrent_days: 365 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(onlyResource(tf, "aws_s3_bucket_lifecycle_configuration").rule).toEqual([
      retain("client-logs", "client-logs/"),
      retain("audit-logs", "audit-logs/"),
      retain("trail", "cloudtrail/AWSLogs/"),
    ]);
    await writeFile(join(dir, "config.json"), JSON.stringify(input));
    const r = await runCli(
      ["verify", "-c", "config.json", "--static", result.stackDir, "--rule", "retention.lifecycle", "--output", "json"],
      { cwd: dir },
    );
    const statuses = (JSON.parse(r.stdout).results as Array<{ status: string }>).map((x) => x.status);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(["PASS"]));
    // An existing export bucket is never given rules; the trail's own bucket is.
    const existing = await synthVariant({ ...input, bucket: { name: "acme-existing-logs", existing: true } });
    expect(onlyResource(existing.tf, "aws_s3_bucket_lifecycle_configuration").rule).toEqual([
      retain("trail", "cloudtrail/AWSLogs/"),
    ]);
    // An expiry the config asks for (at least the retention) keeps its own rules.
    const expiring = await synthVariant({ ...input, lifecycle: { expireAfterDays: 400 } });
    expect(
      onlyResource(expiring.tf, "aws_s3_bucket_lifecycle_configuration").rule.map((x: { id: string }) => x.id),
    ).toEqual(["expire-client-logs", "expire-audit-logs", "retain-trail"]);
  }, 60_000);

  it("lifecycle, no versioning, tags and an S3 backend with native locking", async () => {
    const { tf } = await synthVariant(variants["lifecycle, tags, s3 backend"]!);
    expect(resourcesOf(tf, "aws_s3_bucket_versioning")).toEqual({});
    expect(onlyResource(tf, "aws_s3_bucket_lifecycle_configuration").rule).toEqual([
      {
        id: "expire-client-logs",
        status: "Enabled",
        filter: [{ prefix: "client-logs/" }],
        expiration: [{ days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
      {
        id: "expire-audit-logs",
        status: "Enabled",
        filter: [{ prefix: "audit-logs/" }],
        expiration: [{ days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
    expect(tf.provider.aws[0].default_tags).toEqual([{ tags: { team: "platform" } }]);
    expect(tf.terraform.backend).toEqual({
      s3: {
        bucket: "acme-tf-state",
        key: "cloudsmith/terraform.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(tf.terraform.required_version).toBe(">= 1.10");
  });
});

describe("determinism", () => {
  it("is byte-identical across runs and output locations", async () => {
    const a = await synthVariant(variants.default!);
    const b = await synthVariant(variants.default!);
    for (const f of a.result.files) {
      expect(await readFile(join(b.result.outDir, f), "utf8")).toBe(await readFile(join(a.result.outDir, f), "utf8"));
    }
    expect(await readFile(a.result.stackFile, "utf8")).not.toMatch(/\/tmp|\/work|\\\\/);
  });
});

describe("the optional auditor role", () => {
  it("is read-only with exactly verify's policy, trusted by the named principal and one repository's main branch", async () => {
    const { tf } = await synthVariant(withAuditor);
    const cfg = configOf(withAuditor);
    const roles = resourcesOf(tf, "aws_iam_role");
    const auditor = Object.values(roles).find((r) => r.name === "CloudsmithLogExportAuditor")!;
    expect(auditor).toBeDefined();
    expect(policyOf(auditor, "assume_role_policy")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "TrustedPrincipals",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::210987654321:role/security-audit" },
          Action: "sts:AssumeRole",
        },
        {
          Sid: "GitHubActions",
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:acme/infra:ref:refs/heads/main",
            },
          },
        },
      ],
    });
    const policies = Object.values(resourcesOf(tf, "aws_iam_role_policy"));
    const verifyPolicy = policies.find((p) => p.name === "cloudsmith-log-export-verify")!;
    expect(policyOf(verifyPolicy)).toEqual(verifierPolicy([cfg], { delivery: true, integrity: true, analyzer: true }));
    for (const s of policyOf(verifyPolicy).Statement)
      for (const a of [s.Action].flat()) expect(a).toMatch(/:(Get|List|Validate|Check)/);
    expect(tf.output.auditor_role_arn).toBeDefined();
    // The writer role's policy is untouched by the auditor's.
    expect(policies.filter((p) => p.name === "cloudsmith-log-export-write")).toHaveLength(1);
  });

  it("refuses a config that names no one to trust, a wildcard subject or a malformed principal", () => {
    expect(() => configOf({ ...base, auditorRole: {} })).toThrow(/name who may assume the auditor role/);
    expect(() =>
      configOf({ ...base, auditorRole: { githubRepository: "acme/infra", githubSubject: "repo:acme/*" } }),
    ).toThrow(/without wildcards/);
    expect(() => configOf({ ...base, auditorRole: { trustedPrincipals: ["*"] } })).toThrow(
      /role, user or account root ARN/,
    );
  });
});
