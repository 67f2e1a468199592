/**
 * The live collector with the SDK mocked (aws-sdk-client-mock): real error
 * names map to absent, anything else to error; unmocked calls reject, so a
 * read nobody planned for shows up as an ERROR, never as a PASS.
 */

import { AccessAnalyzerClient, CheckNoNewAccessCommand, ValidatePolicyCommand } from "@aws-sdk/client-accessanalyzer";
import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
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
  GetBucketRequestPaymentCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectLive } from "../../../src/checks/deployment/collect/live/index.js";
import {
  expectedExportBucketPolicy,
  expectedTrustPolicy,
  expectedWriterPolicy,
} from "../../../src/iam/policies/index.js";
import { collectFacts, verifyFacts } from "../../../src/verify/run-one.js";
import { configOf, variants } from "../../helpers/configs.js";

const cfg = configOf(variants.default!);
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const ct = mockClient(CloudTrailClient);
const aa = mockClient(AccessAnalyzerClient);

const awsError = (name: string, status = 400) =>
  Object.assign(
    new S3ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status }, message: name }),
    {},
  );
const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
const aws = { region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } };

function healthy(): void {
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: "123456789012", Arn: "arn:aws:sts::123456789012:assumed-role/ci/x" });
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: cfg.roleName,
      Path: "/",
      Arn: "arn:aws:iam::123456789012:role/CloudsmithLogsWriter",
      RoleId: "R",
      CreateDate: new Date(),
      AssumeRolePolicyDocument: enc(expectedTrustPolicy(cfg)),
    },
  });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ["cloudsmith-log-export-write"] });
  iam.on(GetRolePolicyCommand).resolves({
    RoleName: cfg.roleName,
    PolicyName: "cloudsmith-log-export-write",
    PolicyDocument: enc(expectedWriterPolicy(cfg)),
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  s3.on(HeadBucketCommand).resolves({ BucketRegion: "us-east-1" });
  s3.on(GetPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  });
  s3.on(GetBucketOwnershipControlsCommand).resolves({
    OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
  });
  s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(expectedExportBucketPolicy(cfg)) });
  s3.on(GetBucketRequestPaymentCommand).resolves({ Payer: "BucketOwner" });
  s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] },
  });
  ct.on(GetTrailCommand).resolves({
    Trail: {
      Name: cfg.cloudtrail.name,
      TrailARN: "arn:aws:cloudtrail:us-east-1:123456789012:trail/cloudsmith-log-export",
      HomeRegion: "us-east-1",
      S3BucketName: cfg.bucket.name,
      S3KeyPrefix: "cloudtrail",
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
    },
  });
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  ct.on(GetEventSelectorsCommand).resolves({
    AdvancedEventSelectors: [
      { Name: "m", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
      {
        Name: "d",
        FieldSelectors: [
          { Field: "eventCategory", Equals: ["Data"] },
          { Field: "resources.type", Equals: ["AWS::S3::Object"] },
        ],
      },
    ],
  });
  aa.on(ValidatePolicyCommand).resolves({ findings: [] });
  aa.on(CheckNoNewAccessCommand).resolves({ result: "PASS", message: "ok" });
}

beforeEach(() => {
  for (const m of [sts, iam, s3, ct, aa] as Array<{ reset(): void; onAnyCommand(): { rejects(e: Error): unknown } }>) {
    m.reset();
    // Unmocked calls reject: nothing passes by accident.
    m.onAnyCommand().rejects(new Error("unmocked call"));
  }
  healthy();
});

describe("live collector", () => {
  it("reads a healthy account into present facts; Access Analyzer runs against AWS", async () => {
    const facts = await collectFacts(cfg, { aws });
    expect(facts.role).toMatchObject({
      state: "present",
      value: { name: "CloudsmithLogsWriter", trustPolicy: { state: "present", value: expectedTrustPolicy(cfg) } },
    });
    expect(facts.rolePolicies).toMatchObject({
      state: "present",
      value: [{ kind: "inline", document: { value: expectedWriterPolicy(cfg) } }],
    });
    expect(facts.exportBucket.requestPayer).toEqual({ state: "present", value: "BucketOwner" });
    expect(facts.trailDeliveryError).toEqual({ state: "present", value: null });
    expect(facts.analyzerNoNewAccess).toEqual({ state: "present", value: { result: "PASS", message: "ok" } });
    const validated = aa.commandCalls(ValidatePolicyCommand).map((c) => c.args[0].input.policyType);
    expect(validated.sort()).toEqual(["IDENTITY_POLICY", "RESOURCE_POLICY"]);
    expect(s3.commandCalls(HeadBucketCommand)[0]!.args[0].input).toMatchObject({
      Bucket: cfg.bucket.name,
      ExpectedBucketOwner: "123456789012",
    });
    const results = await verifyFacts(facts);
    expect(results.filter((r) => r.status === "ERROR" || (r.status === "FAIL" && r.severity !== "info"))).toEqual([]);
  });

  it("maps documented not-found errors to absent", async () => {
    s3.on(GetBucketPolicyCommand).rejects(awsError("NoSuchBucketPolicy", 404));
    s3.on(GetPublicAccessBlockCommand).rejects(awsError("NoSuchPublicAccessBlockConfiguration", 404));
    s3.on(GetBucketEncryptionCommand).rejects(awsError("ServerSideEncryptionConfigurationNotFoundError", 404));
    iam.on(GetRoleCommand).rejects(Object.assign(new Error("no role"), { name: "NoSuchEntityException" }));
    const facts = await collectFacts(cfg, { aws });
    expect(facts.exportBucket.policy.state).toBe("absent");
    expect(facts.exportBucket.publicAccessBlock.state).toBe("absent");
    expect(facts.exportBucket.encryption.state).toBe("absent");
    expect(facts.role.state).toBe("absent");
    expect(facts.rolePolicies.state).toBe("absent");
    const results = await verifyFacts(facts);
    expect(results.find((r) => r.ruleId === "bucket.tls-only")?.status).toBe("FAIL");
    expect(results.find((r) => r.ruleId === "role.exists")?.status).toBe("FAIL");
  });

  it("turns AccessDenied, throttling and unexpected replies into ERROR results that fail the run", async () => {
    s3.on(GetBucketPolicyCommand).rejects(awsError("AccessDenied", 403));
    iam
      .on(ListRolePoliciesCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "Throttling", $metadata: { httpStatusCode: 400 } }));
    s3.on(GetBucketRequestPaymentCommand).resolves({});
    s3.on(HeadBucketCommand).rejects(
      Object.assign(new Error("UnknownError"), { name: "403", $metadata: { httpStatusCode: 403 } }),
    );
    const facts = await collectFacts(cfg, { aws });
    expect(facts.exportBucket.policy).toEqual({ state: "error", detail: "AccessDenied" });
    expect(facts.rolePolicies).toMatchObject({ state: "error", detail: "Throttling: Rate exceeded" });
    expect(facts.exportBucket.requestPayer).toMatchObject({
      state: "error",
      detail: expect.stringMatching(/no Payer/),
    });
    const results = await verifyFacts(facts);
    const status = (id: string) => results.filter((r) => r.ruleId === id).map((r) => r.status);
    for (const id of [
      "bucket.tls-only",
      "bucket.no-deny-writer",
      "trail.bucket-policy",
      "permissions.required",
      "permissions.least-privilege",
      "bucket.requester-pays",
      "bucket.exists",
    ]) {
      expect(status(id), id).toEqual(["ERROR"]);
    }
    expect(results.find((r) => r.ruleId === "bucket.exists")?.message).toMatch(/HTTP 403/);
    // The policies could not be read, so Access Analyzer could not run on them: ERROR, not SKIPPED.
    expect(status("analyzer.validate-policy")).toEqual(["ERROR"]);
  });

  it("reads attached managed policies through their default version", async () => {
    iam.on(ListAttachedRolePoliciesCommand).resolves({
      AttachedPolicies: [{ PolicyName: "AmazonS3FullAccess", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }],
    });
    iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: "v3" } });
    iam
      .on(GetPolicyVersionCommand, { PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess", VersionId: "v3" })
      .resolves({
        PolicyVersion: {
          Document: enc({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
        },
      });
    const results = await verifyFacts(await collectFacts(cfg, { aws }));
    expect(results.find((r) => r.ruleId === "permissions.least-privilege")).toMatchObject({
      status: "FAIL",
      message: expect.stringMatching(
        /managed policy arn:aws:iam::aws:policy\/AmazonS3FullAccess, statement #1 grants s3:PutBucketPolicy, .* \(through "s3:\*"\)/,
      ),
    });
  });

  it("skips Access Analyzer at a custom endpoint instead of calling it", async () => {
    const facts = await collectLive(cfg, { ...aws, endpointUrl: "http://127.0.0.1:1" });
    expect(facts.analyzerFindings).toMatchObject({ state: "skip", detail: expect.stringMatching(/custom endpoint/) });
    expect(aa.commandCalls(ValidatePolicyCommand)).toHaveLength(0);
  });
});
