/**
 * Retention with Object Lock, for real: the trail gets a bucket of its own created with Object Lock
 * (compliance mode, the profile's 365 days) while the export bucket stays unlocked; Terraform
 * applies it to the emulator and a plan afterwards is clean; verify passes on what was deployed,
 * and a weaker lock (governance, 30 days) put on the bucket by hand FAILs retention.object-lock.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { GetObjectLockConfigurationCommand, PutObjectLockConfigurationCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorClients } from "../helpers/aws-sdk.js";
import { runCli } from "../helpers/cli.js";
import { variants } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";
import { FAKE_AWS_ENV } from "../helpers/fake-aws-env.js";
import { applyToEmulator } from "../helpers/terraform.js";

const input = variants["pci dss, object lock"]!;
let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "cle-object-lock-"));
  await writeFile(join(dir, "config.json"), JSON.stringify(input));
  await applyToEmulator(input, join(dir, "out"), emulator.endpoint);
}, 240_000);

afterAll(async () => {
  await emulator?.stop();
});

async function retentionResults() {
  const r = await runCli(
    ["verify", "-c", "config.json", "--endpoint-url", emulator.endpoint, "--rule", "retention", "--output", "json"],
    { cwd: dir, env: { ...FAKE_AWS_ENV, ...emulator.env } },
  );
  return (
    JSON.parse(r.stdout).results as Array<{ ruleId: string; status: string; resource: string; message: string }>
  ).map((x) => ({ id: x.ruleId, status: x.status, resource: x.resource, message: x.message }));
}

describe("Object Lock on the trail's own bucket", () => {
  it("locks the trail's bucket (compliance, 365 days) and never the export bucket; the trail delivers there", async () => {
    const { s3, cloudtrail } = emulatorClients(emulator.endpoint);
    const lock = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: "cloudsmith-acme-logs-trail" }));
    expect(lock.ObjectLockConfiguration).toMatchObject({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 365 } },
    });
    await expect(
      s3.send(new GetObjectLockConfigurationCommand({ Bucket: "cloudsmith-acme-logs" })),
    ).rejects.toMatchObject({ name: "ObjectLockConfigurationNotFoundError" });
    const trails = await cloudtrail.send(new DescribeTrailsCommand({}));
    expect(trails.trailList?.[0]?.S3BucketName).toBe("cloudsmith-acme-logs-trail");
  });

  it("verify passes retention.object-lock and retention.lifecycle on it", async () => {
    const results = await retentionResults();
    expect(results.map((r) => `${r.id} ${r.resource} ${r.status}`).sort()).toEqual([
      "retention.lifecycle s3://cloudsmith-acme-logs PASS",
      "retention.lifecycle s3://cloudsmith-acme-logs-trail PASS",
      "retention.object-lock s3://cloudsmith-acme-logs-trail PASS",
    ]);
  }, 60_000);

  it("a weaker default retention (governance, 30 days) FAILs, saying both", async () => {
    const { s3 } = emulatorClients(emulator.endpoint);
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: "cloudsmith-acme-logs-trail",
        ObjectLockConfiguration: {
          ObjectLockEnabled: "Enabled",
          Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 30 } },
        },
      }),
    );
    const lock = (await retentionResults()).find((r) => r.id === "retention.object-lock")!;
    expect(lock.status).toBe("FAIL");
    expect(lock.message).toContain("not COMPLIANCE");
    expect(lock.message).toContain("30 days, less than the 365 days");
  }, 60_000);
});
