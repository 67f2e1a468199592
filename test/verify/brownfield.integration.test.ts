/**
 * The brownfield corpus, live: each fixture marked `live` is built in a fresh
 * emulator account with the SDK (not with this tool's Terraform), read back by
 * the live collector, and must get the same verdicts as from its facts.
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectFacts, verifyFacts } from "../../src/verify/run-one.js";
import { BROWNFIELD, type Brownfield, brownfieldConfig, brownfieldFacts } from "../helpers/brownfield.js";
import { configOf } from "../helpers/configs.js";
import { deploy } from "../helpers/deploy.js";
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
    await deploy({ iam, s3, cloudtrail }, brownfieldFacts(b));
    const cfg = configOf(brownfieldConfig(b));
    const facts = await collectFacts(cfg, {
      aws: { endpointUrl: emulator.endpoint, credentials: creds },
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
