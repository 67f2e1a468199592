/**
 * The default variant applied by real Terraform to the local AWS emulator,
 * then read back with the AWS SDK and compared to the policy functions.
 */

import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleArn, trailArn } from "../../src/config/derived.js";
import { expectedExportBucketPolicy, expectedTrustPolicy, expectedWriterPolicy } from "../../src/iam/policies/index.js";
import { configOf, variants } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";
import { synthVariant } from "../helpers/synth.js";
import { terraform, terraformInit, writeEmulatorOverride } from "../helpers/terraform.js";

const cfg = configOf(variants.default!);
let emulator: Emulator;
let stackDir: string;
let clients: { iam: IAMClient; s3: S3Client; trail: CloudTrailClient };

const doc = (s: string | undefined) => JSON.parse(decodeURIComponent(s ?? "null"));

beforeAll(async () => {
  emulator = await startEmulator();
  const base = {
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  clients = {
    iam: new IAMClient(base),
    s3: new S3Client({ ...base, forcePathStyle: true }),
    trail: new CloudTrailClient(base),
  };
  ({ stackDir } = (await synthVariant(variants.default!)).result);
  await writeEmulatorOverride(stackDir, emulator.endpoint);
  await terraformInit(stackDir);
  await terraform(stackDir, ["apply", "-auto-approve", "-input=false"]);
}, 180_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("terraform apply on the emulator", () => {
  it("creates the role with exactly the expected trust policy and one inline writer policy", async () => {
    const { Role } = await clients.iam.send(new GetRoleCommand({ RoleName: "CloudsmithLogsWriter" }));
    expect(Role?.Arn).toBe(roleArn(cfg));
    expect(Role?.Path).toBe("/");
    expect(doc(Role?.AssumeRolePolicyDocument)).toEqual(expectedTrustPolicy(cfg));

    const inline = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: "CloudsmithLogsWriter" }));
    expect(inline.PolicyNames).toEqual(["cloudsmith-log-export-write"]);
    const attached = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "CloudsmithLogsWriter" }));
    expect(attached.AttachedPolicies).toEqual([]);
    const writer = await clients.iam.send(
      new GetRolePolicyCommand({ RoleName: "CloudsmithLogsWriter", PolicyName: "cloudsmith-log-export-write" }),
    );
    expect(doc(writer.PolicyDocument)).toEqual(expectedWriterPolicy(cfg));
  });

  it("creates a private, encrypted, versioned bucket with the expected policy", async () => {
    const Bucket = cfg.bucket.name;
    const policy = await clients.s3.send(new GetBucketPolicyCommand({ Bucket }));
    expect(JSON.parse(policy.Policy!)).toEqual(expectedExportBucketPolicy(cfg));
    const pab = await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket }));
    expect(pab.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const own = await clients.s3.send(new GetBucketOwnershipControlsCommand({ Bucket }));
    expect(own.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
    const enc = await clients.s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe(
      "AES256",
    );
    const ver = await clients.s3.send(new GetBucketVersioningCommand({ Bucket }));
    expect(ver.Status).toBe("Enabled");
  });

  it("creates a logging, multi-region trail with validation and the expected selectors", async () => {
    const { Trail } = await clients.trail.send(new GetTrailCommand({ Name: cfg.cloudtrail.name }));
    expect(Trail).toMatchObject({
      TrailARN: trailArn(cfg),
      S3BucketName: cfg.bucket.name,
      S3KeyPrefix: "cloudtrail",
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
    });
    const status = await clients.trail.send(new GetTrailStatusCommand({ Name: trailArn(cfg) }));
    expect(status.IsLogging).toBe(true);
    const selectors = await clients.trail.send(new GetEventSelectorsCommand({ TrailName: cfg.cloudtrail.name }));
    expect(selectors.AdvancedEventSelectors?.map((s) => s.Name)).toEqual([
      "Management events (read and write)",
      "S3 data events on the Cloudsmith export prefixes",
    ]);
    const dataArn = selectors.AdvancedEventSelectors?.[1]?.FieldSelectors?.find((f) => f.Field === "resources.ARN");
    expect(dataArn?.StartsWith).toEqual([
      "arn:aws:s3:::cloudsmith-acme-logs/client-logs/",
      "arn:aws:s3:::cloudsmith-acme-logs/audit-logs/",
    ]);
  });

  it("outputs the role ARN and leaves no drift behind", async () => {
    const { stdout } = await terraform(stackDir, ["output", "-json"]);
    const out = JSON.parse(stdout);
    expect(out.role_arn.value).toBe(roleArn(cfg));
    expect(out.external_id).toMatchObject({ sensitive: true, value: cfg.externalId });
    // -detailed-exitcode: 0 = no changes (2 would throw here).
    const plan = await terraform(stackDir, ["plan", "-detailed-exitcode", "-input=false"]);
    expect(plan.stdout).toContain("No changes.");
  });
});

describe("the External ID variable", () => {
  it("rejects a malformed External ID before touching AWS", async () => {
    const { result } = await synthVariant(variants["no external id"]!);
    await writeEmulatorOverride(result.stackDir, emulator.endpoint);
    await terraformInit(result.stackDir);
    await expect(
      terraform(result.stackDir, ["plan", "-input=false", "-var", "cloudsmith_external_id=has spaces!"]),
    ).rejects.toThrow(/The External ID is 2-1224 characters/);
    const ok = await terraform(result.stackDir, ["plan", "-input=false", "-var", "cloudsmith_external_id=cs-ext-4242"]);
    expect(ok.stdout).toMatch(/Plan: \d+ to add/);
    // The variable is sensitive: the plan never prints the ID (the trust policy shows as sensitive).
    expect(ok.stdout).not.toContain("cs-ext-4242");
  }, 60_000);
});
