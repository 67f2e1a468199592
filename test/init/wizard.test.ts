/**
 * The wizard driven through the real Inquirer prompts (@inquirer/testing
 * swaps in a virtual screen and keyboard; everything else is real).
 */

import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { screen } from "@inquirer/testing/vitest";
import { beforeEach, describe, expect, it } from "vitest";
import { runInit } from "../../src/cli/commands/init.js";
import type { ConfigFlagValues } from "../../src/config/flags.js";
import type { TrailChoice } from "../../src/init/trails.js";
import { base } from "../helpers/configs.js";
import { FROM_BUCKET } from "../helpers/wizard-questions.js";

let dir: string;
let output: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-init-"));
  output = "";
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
});

const configFile = () => join(dir, "cloudsmith-log-export.json");
const stackFile = () => join(dir, "out", "stacks", "cloudsmith-log-export", "cdk.tf.json");
const written = () => JSON.parse(readFileSync(configFile(), "utf8"));

function start(
  flags: ConfigFlagValues = {},
  opts: { yes?: boolean; interactive?: boolean; trails?: TrailChoice[]; buckets?: string[] } = {},
) {
  return runInit({ config: configFile(), out: join(dir, "out"), synth: true, yes: opts.yes }, flags, {
    interactive: opts.interactive ?? true,
    callerAccount: async () => "123456789012",
    accountTrails: async () => opts.trails,
    accountBuckets: async () => opts.buckets,
    stdout: (t) => (output += t),
  });
}

/** Waits until the prompt on screen matches, then answers it. */
async function at(question: RegExp, ...keys: Array<string | { type: string }>): Promise<void> {
  for (let i = 0; i < 50 && !question.test(screen.getScreen()); i++) await screen.next();
  expect(screen.getScreen()).toMatch(question);
  for (const k of keys) {
    if (typeof k === "string") screen.keypress(k);
    else screen.type(k.type);
  }
}

/** Accepts the default of each question from `first` (a pattern in FROM_BUCKET) to the review screen. */
async function acceptDefaultsFrom(first: RegExp = FROM_BUCKET[0]!): Promise<void> {
  const start = FROM_BUCKET.findIndex((q) => q.source === first.source);
  if (start < 0) throw new Error(`unknown question ${first}`);
  for (const q of FROM_BUCKET.slice(start)) await at(q, "enter");
}

describe("init wizard", () => {
  it("happy path: defaults and suggestions lead to a valid config, Terraform and the request for Cloudsmith", async () => {
    const done = start();
    await at(/Cloudsmith organization slug/, { type: "acme" }, "enter");
    await at(/AWS account ID.*\(123456789012\)/, "enter"); // prefilled from STS
    await at(/AWS region.*\(us-east-1\)/, "enter");
    await at(/Bucket for the exports/);
    expect(screen.getScreen()).toMatch(/Create a new bucket \(recommended\)/);
    screen.keypress("enter");
    await at(/Name for the new bucket.*cloudsmith-acme-logs/, "enter");
    await at(/Which logs should Cloudsmith export/, "enter");
    await at(/Prefix \(folder\) for client logs.*client-logs/, "enter");
    await at(/Prefix \(folder\) for audit logs.*audit-logs/, "enter");
    await at(/Name of the IAM role.*CloudsmithLogsWriter/, "enter");
    await at(/Export format/);
    expect(screen.getScreen()).toMatch(/JSON Stream \+ Timestamp \(recommended\)/);
    expect(screen.getScreen()).toMatch(/easiest for SIEM ingestion/);
    screen.keypress("enter");
    await at(/What should be exported/, "enter");
    await at(/Which optional data/, "enter");
    await at(/External ID from Cloudsmith/, "enter");
    await at(/Audit trail for CodeArtifact/, "enter");
    await at(/Trail name/, "enter");
    await at(/Record S3 data events/, "enter");
    await at(/Record all regions/, "enter");
    await at(/Bucket encryption/, "enter");
    await at(/How long must the logs be kept/, "enter");
    await at(/Add an Athena query layer/, "enter");
    await at(/Hand the logs to a SIEM/, "enter");
    await at(/Write the config and generate Terraform/, "enter");
    await done;

    expect(written()).toMatchObject({
      organization: "acme",
      accountId: "123456789012",
      region: "us-east-1",
      bucket: { name: "cloudsmith-acme-logs", existing: false },
      logTypes: { client: { prefix: "client-logs" }, audit: { prefix: "audit-logs" } },
      roleName: "CloudsmithLogsWriter",
      format: "json-stream-timestamp",
      scope: { type: "organization" },
      exclude: [],
      encryption: { type: "SSE-S3" },
    });
    expect(written().externalId).toBeUndefined();
    expect(output).toMatch(/Review\n\s+Cloudsmith organization\s+acme/);
    expect(output).toMatch(/please set up log exports to Amazon S3 for our organization "acme"/);
    expect(output).toMatch(/Please send us the External ID/);
    const tf = JSON.parse(readFileSync(stackFile(), "utf8"));
    expect(tf.variable.cloudsmith_external_id).toBeDefined();
    expect(tf.resource.aws_s3_bucket.export_bucket_bucket.bucket).toBe("cloudsmith-acme-logs");
  });

  it("offers the account's trails: picking the organization trail creates none and checks it instead", async () => {
    const orgTrail = "arn:aws:cloudtrail:us-east-1:999988887777:trail/aws-controltower-BaselineCloudTrail";
    const done = start(
      {},
      {
        trails: [
          {
            arn: orgTrail,
            name: "aws-controltower-BaselineCloudTrail",
            homeRegion: "us-east-1",
            organization: true,
            lacks: [],
          },
          {
            arn: "arn:aws:cloudtrail:us-east-1:123456789012:trail/legacy",
            name: "legacy",
            homeRegion: "us-east-1",
            organization: false,
            lacks: ["multi-region", "log file validation"],
          },
        ],
      },
    );
    await at(/Cloudsmith organization slug/, { type: "acme" }, "enter");
    await at(/AWS account ID/, "enter");
    await at(/AWS region/, "enter");
    for (const q of FROM_BUCKET.slice(
      0,
      FROM_BUCKET.findIndex((x) => x.source === "Audit trail for CodeArtifact"),
    ))
      await at(q, "enter");
    await at(/Audit trail for CodeArtifact/);
    const menu = screen.getScreen();
    expect(menu).toMatch(
      /Use organization trail aws-controltower-BaselineCloudTrail \(us-east-1\): meets the requirements/,
    );
    expect(menu).toMatch(/Use trail legacy \(us-east-1\): lacks multi-region, log file validation/);
    expect(menu).toMatch(/Create a trail of our own/);
    screen.keypress("enter"); // the trail that meets the requirements is the default
    await at(/Require S3 data events on the export prefixes/, "enter");
    await at(/Bucket encryption/, "enter");
    await at(/How long must the logs be kept/, "enter");
    await at(/Add an Athena query layer/, "enter");
    await at(/Hand the logs to a SIEM/, "enter");
    await at(/Write the config and generate Terraform/, "enter");
    await done;
    expect(written().cloudtrail).toEqual({ mode: "existing", trailArn: orgTrail, dataEvents: true });
    const stack = JSON.parse(readFileSync(stackFile(), "utf8"));
    expect(stack.resource.aws_cloudtrail).toBeUndefined();
  });

  it("re-asks an invalid answer with the AWS rule in the message", async () => {
    const done = start({ organization: "acme" });
    await at(/AWS account ID/, { type: "12345" }, "enter");
    await at(/exactly 12 digits/);
    for (let i = 0; i < 5; i++) screen.keypress("backspace");
    screen.type("000000000042");
    screen.keypress("enter");
    await at(/AWS region/, { type: "moon-1" }, "enter");
    await at(/a region is a commercial/);
    for (let i = 0; i < 6; i++) screen.keypress("backspace");
    screen.type("eu-west-1");
    screen.keypress("enter");
    await at(/Bucket for the exports/, "enter");
    await at(/Name for the new bucket/);
    for (let i = 0; i < 40; i++) screen.keypress("backspace");
    screen.type("Bad_Bucket");
    screen.keypress("enter");
    await at(/only lowercase letters/);
    for (let i = 0; i < 10; i++) screen.keypress("backspace");
    screen.type("acme-export-logs");
    screen.keypress("enter");
    await at(/Which logs should Cloudsmith export/, "enter");
    await at(/Prefix \(folder\) for client logs/, { type: "/bad*" }, "enter");
    await at(/IAM wildcards|start with '\/'/);
    for (let i = 0; i < 5; i++) screen.keypress("backspace");
    screen.keypress("enter");
    await acceptDefaultsFrom(/Prefix \(folder\) for audit logs/);
    await at(/Write the config/, "enter");
    await done;
    expect(written()).toMatchObject({
      accountId: "000000000042",
      region: "eu-west-1",
      bucket: { name: "acme-export-logs" },
    });
    expect(written().logTypes.client.prefix).toBe("client-logs");
  });

  it("refuses what can never work, and suggests only valid names: partition, a legacy bucket's trail bucket, the key's region", async () => {
    const done = start({ organization: "acme" }, { buckets: ["Legacy_Bucket.2017", "acme-other-logs"] });
    await at(/AWS account ID/, "enter");
    await at(/AWS region/);
    for (let i = 0; i < 12; i++) screen.keypress("backspace");
    screen.type("cn-north-1");
    screen.keypress("enter");
    // Cloudsmith's account is commercial-only: a China region is refused, with the reason.
    await at(/exists only in the commercial AWS partition/);
    for (let i = 0; i < 10; i++) screen.keypress("backspace");
    screen.type("us-east-1");
    screen.keypress("enter");
    await at(/Bucket for the exports/, "down", "enter"); // an existing bucket
    // With credentials, the account's buckets are offered (typing another stays possible).
    await at(/The existing bucket/);
    expect(screen.getScreen()).toMatch(/acme-other-logs/);
    expect(screen.getScreen()).toMatch(/Another bucket \(type its name\)/);
    screen.keypress("enter"); // Legacy_Bucket.2017, a pre-2018 name that breaks today's rules
    for (const q of [
      /Which logs should Cloudsmith export/,
      /Prefix \(folder\) for client logs/,
      /Prefix \(folder\) for audit logs/,
      /Name of the IAM role/,
      /Export format/,
      /What should be exported/,
      /Which optional data/,
      /External ID from Cloudsmith/,
      /Audit trail for CodeArtifact/,
      /Trail name/,
      /Record S3 data events/,
      /Record all regions/,
    ])
      await at(q, "enter");
    // The trail's own bucket: a valid name derived from the legacy one, never Legacy_Bucket.2017-trail.
    await at(/New bucket for the trail/);
    expect(screen.getScreen()).toMatch(/legacy-bucket\.2017-trail/);
    screen.keypress("enter");
    await at(/Bucket encryption/, "down", "enter"); // SSE-KMS
    await at(
      /KMS key ARN/,
      { type: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
      "enter",
    );
    await at(/S3 only uses keys in the bucket's region/);
    for (let i = 0; i < 100; i++) screen.keypress("backspace");
    screen.type("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    screen.keypress("enter");
    await at(/How long must the logs be kept/, "enter");
    await at(/Add an Athena query layer/, "enter");
    await at(/Hand the logs to a SIEM/, "enter");
    await at(/Write the config/, "enter");
    await done;
    expect(written()).toMatchObject({
      region: "us-east-1",
      bucket: { name: "Legacy_Bucket.2017", existing: true },
      cloudtrail: { bucket: "legacy-bucket.2017-trail" },
      encryption: { type: "SSE-KMS" },
    });
  });

  it("adds the Athena query layer when asked: the review says so and the config has query.athena", async () => {
    const done = start({ organization: "acme", accountId: "123456789012", region: "us-east-1" });
    await acceptDefaultsFrom(FROM_BUCKET[0]!);
    // acceptDefaultsFrom answered "no" to the Athena question: change that answer from the review.
    await at(/Write the config/, "down", "enter"); // Change an answer
    await at(/Which answer\?/);
    for (let i = 0; i < 13; i++) screen.keypress("down"); // the last question
    screen.keypress("enter");
    await at(/Add an Athena query layer/, { type: "y" }, "enter");
    await at(/Write the config/);
    expect(output).toMatch(/Athena\s+query layer: database cloudsmith_logs, workgroup\s+cloudsmith-log-export/);
    screen.keypress("enter");
    await done;
    expect(written().query).toEqual({ athena: {} });
  });

  it("the SIEM hand-off: a SaaS SIEM's account and External ID, validated, in the review and the config", async () => {
    const done = start({ organization: "acme", accountId: "123456789012", region: "us-east-1" });
    await acceptDefaultsFrom(FROM_BUCKET[0]!);
    await at(/Write the config/, "down", "enter"); // Change an answer
    await at(/Which answer\?/);
    for (let i = 0; i < 14; i++) screen.keypress("down"); // SIEM hand-off
    screen.keypress("enter");
    await at(/Hand the logs to a SIEM/, "down");
    expect(screen.getScreen()).toMatch(/the reader role trusts only those/);
    screen.keypress("enter");
    await at(/The SIEM's AWS account ID/, { type: "2109876543" }, "enter");
    await at(/a 12-digit account ID, or an IAM role/);
    screen.type("21");
    screen.keypress("enter");
    await at(/The External ID the SIEM issued/, { type: "siem ext" }, "enter");
    await at(/External ID/); // a space is not allowed: the rule is shown, the answer kept for editing
    for (let i = 0; i < 8; i++) screen.keypress("backspace");
    screen.type("siem-ext-42");
    screen.keypress("enter");
    await at(/Write the config/);
    expect(output).toMatch(/SIEM\s+arn:aws:iam::210987654321:root reads through SQS\s+\(with its External ID\)/);
    screen.keypress("enter");
    await done;
    expect(written().siem).toEqual({
      reader: { principal: "arn:aws:iam::210987654321:root", externalId: "siem-ext-42" },
    });
    // synth made the queue and the reader.
    expect(readFileSync(stackFile(), "utf8")).toContain('"aws_sqs_queue"');
  });

  it("retention: the PCI DSS choice explains itself, shows in the review and is written as the profile", async () => {
    const done = start({ organization: "acme", accountId: "123456789012", region: "us-east-1" });
    await acceptDefaultsFrom(FROM_BUCKET[0]!);
    await at(/Write the config/, "down", "enter"); // Change an answer
    await at(/Which answer\?/);
    for (let i = 0; i < 12; i++) screen.keypress("down"); // Retention
    screen.keypress("enter");
    await at(/How long must the logs be kept/, "down");
    expect(screen.getScreen()).toMatch(/fails any lifecycle rule that deletes logs before 365 days/);
    screen.keypress("enter");
    await at(/Lock the trail's files with S3 Object Lock/, "down", "down");
    expect(screen.getScreen()).toMatch(/nobody, the root user included, can delete a file or the bucket/);
    screen.keypress("enter");
    await at(/Write the config/);
    expect(output.replace(/\s+/g, " ")).toContain(
      "Retention PCI DSS v4.0: 365 days, 90 immediately available; the trail's files under Object Lock (compliance)",
    );
    screen.keypress("enter");
    await done;
    expect(written().retention).toEqual({ profile: "pci-dss", objectLock: { mode: "compliance" } });
    // synth said what cannot be undone, and locked the trail's own bucket.
    expect(output.replace(/\s+/g, " ")).toContain("nobody can delete or overwrite it, the root user included");
    expect(readFileSync(stackFile(), "utf8")).toContain('"aws_s3_bucket_object_lock_configuration"');
  });

  it("goes back from the review screen to change one answer", async () => {
    const done = start({ organization: "acme", accountId: "123456789012", region: "us-east-1" });
    await acceptDefaultsFrom();
    await at(/Write the config/, "down", "enter"); // Change an answer
    await at(/Which answer\?/);
    for (let i = 0; i < 5; i++) screen.keypress("down"); // organization, account, region, bucket, log types, -> role
    screen.keypress("enter");
    await at(/Name of the IAM role/, { type: "AcmeCloudsmithWriter" }, "enter");
    await at(/Write the config/);
    expect(output).toMatch(/IAM role name\s+AcmeCloudsmithWriter/);
    screen.keypress("enter");
    await done;
    expect(written().roleName).toBe("AcmeCloudsmithWriter");
  });

  it("two-phase: re-running on an existing config keeps its answers and adds the External ID", async () => {
    await writeFile(
      configFile(),
      JSON.stringify({ ...base, externalId: undefined, roleName: "KeptRole", exclude: ["ip"] }),
    );
    const done = start();
    await at(/Cloudsmith organization slug/, "enter");
    await at(/AWS account ID.*123456789012/, "enter");
    await at(/AWS region.*us-east-1/, "enter");
    await at(/Bucket for the exports/, "enter");
    await at(/Name for the new bucket.*cloudsmith-acme-logs/, "enter");
    await at(/Which logs/, "enter");
    await at(/client logs/, "enter");
    await at(/audit logs/, "enter");
    await at(/Name of the IAM role.*KeptRole/, "enter");
    await at(/Export format/, "enter");
    await at(/What should be exported/, "enter");
    await at(/Which optional data/);
    expect(screen.getScreen()).toMatch(/◯ IP address data/);
    screen.keypress("enter");
    await at(/External ID from Cloudsmith/, "down", "enter");
    await at(/External ID \(as Cloudsmith sent it\)/, { type: "cs-ext-777" }, "enter");
    await acceptDefaultsFrom(/Audit trail for CodeArtifact/);
    await at(/Write the config/, "enter");
    await at(/Overwrite .*cloudsmith-log-export.json/, "enter");
    await done;
    expect(written()).toMatchObject({ roleName: "KeptRole", exclude: ["ip"], externalId: "cs-ext-777" });
    expect(output).toMatch(/Next: deploy/);
    expect(output).not.toContain("cs-ext-777");
    const tf = JSON.parse(readFileSync(stackFile(), "utf8"));
    expect(
      JSON.parse(tf.resource.aws_iam_role.cloudsmith_role.assume_role_policy).Statement[0].Condition.StringEquals[
        "sts:ExternalId"
      ],
    ).toBe("cs-ext-777");
  });

  it("Ctrl+C cancels and writes nothing", async () => {
    const done = start();
    await at(/Cloudsmith organization slug/, { type: "acme" }, "enter");
    await at(/AWS account ID/);
    screen.keypress({ name: "c", ctrl: true });
    await expect(done).rejects.toMatchObject({ name: "ExitPromptError" });
    expect(existsSync(configFile())).toBe(false);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("cancel from the review screen writes nothing (exit 130)", async () => {
    const done = start({ organization: "acme", accountId: "123456789012", region: "us-east-1" });
    await acceptDefaultsFrom();
    await at(/Write the config/, "down", "down", "enter");
    await expect(done).rejects.toMatchObject({ code: 130 });
    expect(existsSync(configFile())).toBe(false);
  });
});

describe("init without prompts", () => {
  it("flags answer questions first; --yes takes the defaults for the rest", async () => {
    await start(
      { accountId: "123456789012", bucket: "flag-bucket", logTypes: ["audit"], format: "csv" },
      { yes: true, interactive: false },
    );
    expect(written()).toMatchObject({
      bucket: { name: "flag-bucket" },
      logTypes: { audit: { prefix: "audit-logs" } },
      format: "csv",
      region: "us-east-1",
    });
    expect(written().logTypes.client).toBeUndefined();
  });

  it("without a terminal, a missing answer names the flags to pass, and nothing is written", async () => {
    await expect(start({}, { interactive: false })).rejects.toMatchObject({
      code: 2,
      message: expect.stringMatching(/pass --bucket and --yes/),
    });
    await expect(start({ bucket: "b-logs" }, { interactive: false })).rejects.toMatchObject({
      code: 2,
      message: expect.stringMatching(/pass --yes to accept the defaults/),
    });
    expect(existsSync(configFile())).toBe(false);
  });

  it("never overwrites an existing config without --yes when there is no terminal", async () => {
    await writeFile(configFile(), JSON.stringify(base));
    await expect(start({ roleName: "Other" }, { interactive: false, yes: false })).rejects.toMatchObject({ code: 2 });
    expect(written().roleName).toBeUndefined();
    await start({ roleName: "Other" }, { interactive: false, yes: true });
    expect(written().roleName).toBe("Other");
  });
});
