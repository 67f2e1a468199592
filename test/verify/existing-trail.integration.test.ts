/**
 * cloudtrail.mode existing on the emulator: a trail this tool did not create
 * (its own bucket and policy, built with the SDK) is checked by its ARN, rule
 * by rule; breaking one requirement is caught by the rule that owns it.
 */
import { CloudTrailClient, StopLoggingCommand, UpdateTrailCommand } from "@aws-sdk/client-cloudtrail";
import { IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataEventsSelector } from "../../src/config/trail-selector.js";
import type { Result } from "../../src/engine/evaluate.js";
import { cloudTrailStatements } from "../../src/iam/policies/bucket-policy.js";
import { accountTrails } from "../../src/init/trails.js";
import { collectFacts, verifyFacts } from "../../src/verify/run-one.js";
import { brownfieldFacts } from "../helpers/brownfield.js";
import { base, configOf } from "../helpers/configs.js";
import { deploy, deployTrail } from "../helpers/deploy.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";

const TRAIL = "org-baseline";
const TRAIL_BUCKET = "acme-audit-trail-logs";
const ARN = `arn:aws:cloudtrail:us-east-1:123456789012:trail/${TRAIL}`;
const input = { ...base, cloudtrail: { mode: "existing" as const, trailArn: ARN } };
const cfg = configOf(input);
const creds = { accessKeyId: "test", secretAccessKey: "test" };

let emulator: Emulator;
let sdk: { iam: IAMClient; s3: S3Client; cloudtrail: CloudTrailClient };

async function verify(): Promise<Record<string, string>> {
  const facts = await collectFacts(cfg, {
    aws: { endpointUrl: emulator.endpoint, credentials: creds },
  });
  const results: Result[] = await verifyFacts(facts);
  return Object.fromEntries(
    results.filter((r) => r.ruleId.startsWith("trail.")).map((r) => [r.ruleId, `${r.status}: ${r.message}`]),
  );
}

beforeAll(async () => {
  emulator = await startEmulator();
  for (const [k, v] of Object.entries(emulator.env))
    if (k.startsWith("AWS_") && k !== "AWS_ENDPOINT_URL") process.env[k] = v;
  const c = { endpoint: emulator.endpoint, region: "us-east-1", credentials: creds };
  sdk = {
    iam: new IAMClient(c),
    s3: new S3Client({ ...c, forcePathStyle: true }),
    cloudtrail: new CloudTrailClient(c),
  };
  // The role and export bucket as the tool would have them; no trail of ours.
  await deploy(
    sdk,
    brownfieldFacts({
      name: "existing",
      title: "",
      why: "",
      config: input.cloudtrail ? { cloudtrail: input.cloudtrail } : {},
      expect: {},
    }),
    { trail: false },
  );
  // The organization's trail, in its own bucket, with the policy AWS documents and our selector added.
  await sdk.s3.send(new CreateBucketCommand({ Bucket: TRAIL_BUCKET }));
  await sdk.s3.send(
    new PutBucketPolicyCommand({
      Bucket: TRAIL_BUCKET,
      Policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: cloudTrailStatements({
          bucketArn: `arn:aws:s3:::${TRAIL_BUCKET}`,
          keyPrefix: "",
          accountId: "123456789012",
          trailArn: ARN,
        }),
      }),
    }),
  );
  const selector = dataEventsSelector(cfg);
  await deployTrail(
    sdk,
    { name: TRAIL, s3BucketName: TRAIL_BUCKET },
    {
      basic: [],
      advanced: [
        { name: "mgmt", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
        {
          name: selector.Name,
          fieldSelectors: selector.FieldSelectors.map((f) => ({
            field: f.Field,
            ...("Equals" in f ? { equals: f.Equals } : {}),
            ...("StartsWith" in f ? { startsWith: f.StartsWith } : {}),
          })),
        },
      ],
    },
  );
}, 60_000);
afterAll(() => emulator?.stop());

describe("cloudtrail.mode existing", () => {
  it("a trail created outside our Terraform, with synth's selector added, verifies clean", async () => {
    const r = await verify();
    for (const id of [
      "trail.exists",
      "trail.destination",
      "trail.bucket-policy",
      "trail.logging",
      "trail.log-validation",
      "trail.multi-region",
      "trail.global-events",
      "trail.management-events",
      "trail.s3-data-events",
    ])
      expect(r[id], id).toMatch(/^PASS/);
    expect(r["trail.destination"]).toMatch(/delivers to s3:\/\/acme-audit-trail-logs/);
    expect(r["trail.exists"]).toContain(ARN);
  });

  it("init's trail list says the trail meets the requirements", async () => {
    const trails = await accountTrails({ endpointUrl: emulator.endpoint, region: "us-east-1" });
    expect(trails?.find((t) => t.arn === ARN)).toMatchObject({ name: TRAIL, lacks: [] });
  });

  it("log file validation turned off: trail.log-validation fails, and init's list says so", async () => {
    await sdk.cloudtrail.send(new UpdateTrailCommand({ Name: TRAIL, EnableLogFileValidation: false }));
    try {
      expect((await verify())["trail.log-validation"]).toMatch(/^FAIL/);
      const trails = await accountTrails({ endpointUrl: emulator.endpoint, region: "us-east-1" });
      expect(trails?.find((t) => t.arn === ARN)?.lacks).toEqual(["log file validation"]);
    } finally {
      await sdk.cloudtrail.send(new UpdateTrailCommand({ Name: TRAIL, EnableLogFileValidation: true }));
    }
  });

  it("logging stopped: trail.logging fails", async () => {
    await sdk.cloudtrail.send(new StopLoggingCommand({ Name: TRAIL }));
    expect((await verify())["trail.logging"]).toMatch(/^FAIL/);
  });

  it("a trail that does not exist: FAIL naming the ARN, never PASS", async () => {
    const facts = await collectFacts(configOf({ ...base, cloudtrail: { mode: "existing", trailArn: `${ARN}-gone` } }), {
      aws: { endpointUrl: emulator.endpoint, credentials: creds },
    });
    const r = (await verifyFacts(facts)).find((x) => x.ruleId === "trail.exists")!;
    expect(r).toMatchObject({ status: "FAIL", message: expect.stringContaining(`${ARN}-gone does not exist`) });
  });
});
