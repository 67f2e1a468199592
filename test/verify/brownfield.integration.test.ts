/**
 * The brownfield corpus, live: each fixture marked `live` is built in a fresh
 * emulator account with the SDK (not with this tool's Terraform), read back by
 * the live collector, and must get the same verdicts as from its facts.
 */
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Facts } from "../../src/checks/index.js";
import type { Fact } from "../../src/engine/fact.js";
import { collectFacts, verifyFacts } from "../../src/verify/run-one.js";
import { BOUNDARY_ARN, BROWNFIELD, type Brownfield, brownfieldConfig, brownfieldFacts } from "../helpers/brownfield.js";
import { configOf } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";

/** The rules whose verdicts come from policies and selectors: the corpus's subject. */
const LIVE_RULES = [
  "trust.actions",
  "trust.cloudsmith-can-assume",
  "trust.external-id",
  "trust.principal",
  "permissions.required",
  "permissions.least-privilege",
  "bucket.no-deny-writer",
  "bucket.private",
  "bucket.tls-only",
  "trail.bucket-policy",
  "trail.management-events",
  "trail.s3-data-events",
];

const creds = { accessKeyId: "test", secretAccessKey: "test" };
let emulator: Emulator;
let iam: IAMClient;
let s3: S3Client;
let cloudtrail: CloudTrailClient;

const value = <T>(f: Fact<T>): T => {
  if (f.state !== "present") throw new Error(`fixture fact is ${f.state}`);
  return f.value;
};

/** Builds the fixture's account from its facts: role and policies, bucket, trail and selectors. */
async function deploy(f: Facts): Promise<void> {
  const cfg = f.config;
  const role = value(f.role);
  await iam.send(
    new CreateRoleCommand({ RoleName: role.name, AssumeRolePolicyDocument: JSON.stringify(value(role.trustPolicy)) }),
  );
  for (const p of value(f.rolePolicies)) {
    const doc = JSON.stringify(value(p.document));
    if (p.kind === "inline") {
      await iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: p.name, PolicyDocument: doc }));
    } else {
      const created = await iam.send(new CreatePolicyCommand({ PolicyName: p.name, PolicyDocument: doc }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: created.Policy!.Arn! }));
    }
  }
  const boundary = value(f.permissionsBoundary);
  if (boundary) {
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: BOUNDARY_ARN.split("/").pop()!, PolicyDocument: JSON.stringify(boundary) }),
    );
    await iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: role.name, PermissionsBoundary: created.Policy!.Arn! }),
    );
  }
  const Bucket = f.exportBucket.name;
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket,
      PublicAccessBlockConfiguration: value(f.exportBucket.publicAccessBlock),
    }),
  );
  await s3.send(
    new PutBucketOwnershipControlsCommand({
      Bucket,
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
    }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
    }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(value(f.exportBucket.policy)) }));
  const trail = value(f.trail);
  await cloudtrail.send(
    new CreateTrailCommand({
      Name: trail.name,
      S3BucketName: trail.s3BucketName,
      S3KeyPrefix: trail.s3KeyPrefix,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
    }),
  );
  const selectors = value(f.eventSelectors);
  await cloudtrail.send(
    new PutEventSelectorsCommand(
      selectors.advanced.length > 0
        ? {
            TrailName: trail.name,
            AdvancedEventSelectors: selectors.advanced.map((s) => ({
              Name: s.name,
              FieldSelectors: s.fieldSelectors.map((fs) => ({
                Field: fs.field,
                Equals: fs.equals,
                NotEquals: fs.notEquals,
                StartsWith: fs.startsWith,
                NotStartsWith: fs.notStartsWith,
                EndsWith: fs.endsWith,
                NotEndsWith: fs.notEndsWith,
              })),
            })),
          }
        : {
            TrailName: trail.name,
            EventSelectors: selectors.basic.map((s) => ({
              ReadWriteType: s.readWriteType as "All",
              IncludeManagementEvents: s.includeManagementEvents,
              ExcludeManagementEventSources: s.excludeManagementEventSources,
              DataResources: s.dataResources?.map((d) => ({ Type: d.type, Values: d.values })),
            })),
          },
    ),
  );
  await cloudtrail.send(new StartLoggingCommand({ Name: trail.name }));
  void cfg;
}

beforeAll(async () => {
  emulator = await startEmulator();
  const clientConfig = { endpoint: emulator.endpoint, region: "us-east-1", credentials: creds };
  iam = new IAMClient(clientConfig);
  s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  cloudtrail = new CloudTrailClient(clientConfig);
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
});

const live = BROWNFIELD.filter((b: Brownfield) => b.live);

describe("brownfield corpus on the emulator", () => {
  it("applies at least 8 variations", () => expect(live.length).toBeGreaterThanOrEqual(8));

  it.each(live.map((b) => [b.name, b] as const))("%s", async (_name, b) => {
    const reset = await fetch(`${emulator.endpoint}/moto-api/reset`, { method: "POST" });
    expect(reset.ok).toBe(true);
    await deploy(brownfieldFacts(b));
    const cfg = configOf(brownfieldConfig(b));
    const facts = await collectFacts(cfg, {
      aws: { endpointUrl: emulator.endpoint, credentials: creds },
      progress: false,
    });
    const results = await verifyFacts(facts);
    const got = Object.fromEntries(
      LIVE_RULES.map((id) => [
        id,
        results
          .filter((r) => r.ruleId === id)
          .map((r) => r.status)
          .join(","),
      ]),
    );
    const want = Object.fromEntries(LIVE_RULES.map((id) => [id, b.expect[id] ?? "PASS"]));
    const messages = results.filter((r) => LIVE_RULES.includes(r.ruleId) && r.status !== "PASS");
    expect(got, messages.map((r) => `${r.ruleId}: ${r.message}`).join("\n")).toEqual(want);
  });
});
