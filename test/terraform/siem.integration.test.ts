/**
 * The SIEM hand-off, for real: the generated Terraform applied to the emulator (a plan after apply
 * is clean); a file written under each fed prefix produces a notification in the queue, which the
 * reader role (assumed through STS with the SIEM's External ID) receives, decodes (S3 URL-encodes
 * keys) and follows to the file. Then `verify --siem` on what Terraform deployed, and on the damage
 * the issue names, each flipping its own rule: the aws/sqs key, a customer key S3 may not use, a
 * lost prefix, a queue policy without aws:SourceArn, a reader with s3:*, a 30-day expiry under PCI
 * DSS. An existing bucket's notifications are never written: synth prints them, and verify passes
 * once they are added as printed.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  DeleteBucketLifecycleCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siemFeeds } from "../../src/siem/feeds.js";
import { notificationAdditions, S3_QUEUE_KEY_STATEMENT } from "../../src/siem/policies.js";
import { runCli } from "../helpers/cli.js";
import { configOf, variants } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";
import { FAKE_AWS_ENV } from "../helpers/fake-aws-env.js";
import { resourcesOf, synthVariant } from "../helpers/synth.js";
import { applyToEmulator } from "../helpers/terraform.js";

const input = variants["siem hand-off"]!;
const existingInput = variants["siem, existing bucket, customer key"]!;
const cfg = configOf(input);
const [feed] = siemFeeds(cfg);
let emulator: Emulator;
let dir: string;
let sqs: SQSClient;
let queueUrl: string;
const base = () => ({
  endpoint: emulator.endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});
/** S3 over TLS: the bucket's TLS-only Deny refuses plain HTTP, as on AWS. */
const s3Tls = (credentials = base().credentials) =>
  new S3Client({
    ...base(),
    credentials,
    endpoint: emulator.tls!.endpoint,
    forcePathStyle: true,
    requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(emulator.tls!.cert) }) }),
  });
const env = () => ({
  ...FAKE_AWS_ENV,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
});

async function verifySiem(extra: string[] = [], configFile = "config.json") {
  const r = await runCli(
    ["verify", "-c", configFile, "--endpoint-url", emulator.endpoint, "--siem", ...extra, "--output", "json"],
    { cwd: dir, env: env() },
  );
  const report = JSON.parse(r.stdout) as {
    results: Array<{ ruleId: string; status: string; message: string; resource: string }>;
  };
  return { code: r.code, results: report.results };
}
const resultOf = (results: Array<{ ruleId: string; status: string; message: string }>, id: string) => {
  const found = results.filter((x) => x.ruleId === id);
  expect(found, id).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  emulator = await startEmulator({ tls: true });
  sqs = new SQSClient(base());
  dir = await mkdtemp(join(tmpdir(), "cle-siem-"));
  await writeFile(join(dir, "config.json"), JSON.stringify(input));
  await writeFile(join(dir, "existing.json"), JSON.stringify(existingInput));
  // The existing bucket is someone else's: it is there before, and synth never manages it.
  await s3Tls().send(new CreateBucketCommand({ Bucket: existingInput.bucket.name }));
  // Both variants into one account, side by side (most of an apply is the provider waiting).
  await Promise.all([
    applyToEmulator(input, join(dir, "out"), emulator.endpoint),
    applyToEmulator(existingInput, join(dir, "existing-out"), emulator.endpoint),
  ]);
  queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: feed!.queueName }))).QueueUrl!;
}, 240_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("the hand-off Terraform deployed", () => {
  it("notifies the queue of a file under each prefix, and the SIEM's reader receives it and reads the file", async () => {
    const writer = s3Tls();
    const keys = [
      "client-logs/2026/12/03/downloads 01+02.json.gz",
      "audit-logs/2026/12/03/audit.json.gz",
      "cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/12/03/trail file.json.gz",
    ];
    for (const Key of keys)
      await writer.send(new PutObjectCommand({ Bucket: cfg.bucket.name, Key, Body: `body of ${Key}` }));
    await writer.send(new PutObjectCommand({ Bucket: cfg.bucket.name, Key: "elsewhere/not-fed.txt", Body: "x" }));

    const assumed = await new STSClient(base()).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::123456789012:role/${cfg.siem!.reader.roleName}`,
        RoleSessionName: "siem",
        ExternalId: "siem-ext-42",
      }),
    );
    const c = assumed.Credentials!;
    const credentials = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
    const asReader = new SQSClient({ ...base(), credentials });
    const seen: string[] = [];
    for (let i = 0; i < 5 && seen.length < keys.length; i++) {
      const { Messages = [] } = await asReader.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      for (const m of Messages) {
        const body = JSON.parse(m.Body!) as { Event?: string; Records?: Array<{ s3: { object: { key: string } } }> };
        // S3 sends one s3:TestEvent when the configuration is written; a SIEM input skips it.
        for (const r of body.Records ?? []) seen.push(decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")));
        await asReader.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    expect(seen.sort()).toEqual([...keys].sort());
    const reader = s3Tls(credentials);
    for (const Key of seen) {
      const got = await reader.send(new GetObjectCommand({ Bucket: cfg.bucket.name, Key }));
      expect(await got.Body!.transformToString()).toBe(`body of ${Key}`);
    }
  });

  it("verify --siem --delivery passes on it", async () => {
    const { code, results } = await verifySiem(["--delivery", "--rule", "siem.*"]);
    expect(results.map((r) => `${r.ruleId} ${r.status}`)).toEqual(
      [
        "siem.dead-letter PASS",
        "siem.delivery PASS",
        "siem.notifications PASS",
        "siem.queue-encryption PASS",
        "siem.queue-policy PASS",
        "siem.reader-access PASS",
        "siem.reader-least-privilege PASS",
        "siem.reader-trust PASS",
      ].sort(),
    );
    expect(code).toBe(0);
  }, 60_000);
});

describe("verify --siem on damage, each flipping its own rule", () => {
  const setQueue = (Attributes: Record<string, string>) =>
    sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes }));
  const original = async () =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["All"] }))).Attributes!;

  it("the AWS-managed aws/sqs key FAILs, naming it", async () => {
    await setQueue({ KmsMasterKeyId: "alias/aws/sqs" });
    try {
      const r = resultOf((await verifySiem(["--rule", "siem.queue-encryption"])).results, "siem.queue-encryption");
      expect(r.status).toBe("FAIL");
      expect(r.message).toContain("aws/sqs");
    } finally {
      await setQueue({ KmsMasterKeyId: "", SqsManagedSseEnabled: "true" });
    }
  }, 60_000);

  it("a customer key S3 may not use FAILs; with the statement synth prints it passes", async () => {
    const kms = new KMSClient(base());
    const root = {
      Sid: "Account",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::123456789012:root" },
      Action: "kms:*",
      Resource: "*",
    };
    const keyWith = async (statements: object[]) =>
      (
        await kms.send(
          new CreateKeyCommand({ Policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }),
        )
      ).KeyMetadata!.Arn!;
    try {
      await setQueue({ KmsMasterKeyId: await keyWith([root]) });
      const bad = resultOf((await verifySiem(["--rule", "siem.queue-encryption"])).results, "siem.queue-encryption");
      expect(bad.status).toBe("FAIL");
      expect(bad.message).toContain("kms:GenerateDataKey and kms:Decrypt");
      await setQueue({ KmsMasterKeyId: await keyWith([root, S3_QUEUE_KEY_STATEMENT]) });
      const good = resultOf((await verifySiem(["--rule", "siem.queue-encryption"])).results, "siem.queue-encryption");
      expect(good.status).toBe("PASS");
    } finally {
      await setQueue({ KmsMasterKeyId: "", SqsManagedSseEnabled: "true" });
    }
  }, 60_000);

  it("a queue policy without aws:SourceArn FAILs: S3 would send for any bucket of the account", async () => {
    const policy = (await original()).Policy!;
    const loose = JSON.parse(policy);
    delete loose.Statement[0].Condition.ArnEquals;
    await setQueue({ Policy: JSON.stringify(loose) });
    try {
      const r = resultOf((await verifySiem(["--rule", "siem.queue-policy"])).results, "siem.queue-policy");
      expect(r.status).toBe("FAIL");
      expect(r.message).toContain("another bucket of 123456789012");
    } finally {
      await setQueue({ Policy: policy });
    }
  }, 60_000);

  it("a prefix without a notification FAILs, naming it; an existing bucket passes once the printed additions are in", async () => {
    const s3 = s3Tls();
    const put = (QueueConfigurations: object[]) =>
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: cfg.bucket.name,
          NotificationConfiguration: { QueueConfigurations } as never,
        }),
      );
    const printed = notificationAdditions(feed!);
    await put(printed.filter((q) => !JSON.stringify(q).includes("audit-logs/")));
    const lost = resultOf((await verifySiem(["--rule", "siem.notifications"])).results, "siem.notifications");
    expect(lost.status).toBe("FAIL");
    expect(lost.message).toContain('the audit prefix "audit-logs/"');
    await put([...printed, { ...printed[0], Id: "overlapping" }]);
    const overlapping = resultOf((await verifySiem(["--rule", "siem.notifications"])).results, "siem.notifications");
    expect(overlapping.status).toBe("FAIL");
    expect(overlapping.message).toContain("overlapping");
    // What synth prints for an existing bucket, added as printed.
    await put(printed);
    const added = resultOf((await verifySiem(["--rule", "siem.notifications"])).results, "siem.notifications");
    expect(added.status).toBe("PASS");
  }, 60_000);

  it("a reader with s3:* FAILs least privilege, most dangerous first", async () => {
    const iam = new IAMClient(base());
    const RoleName = cfg.siem!.reader.roleName;
    await iam.send(
      new PutRolePolicyCommand({
        RoleName,
        PolicyName: "too-much",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
        }),
      }),
    );
    try {
      const { results } = await verifySiem(["--rule", "siem.reader-least-privilege,siem.reader-access"]);
      const r = resultOf(results, "siem.reader-least-privilege");
      expect(r.status).toBe("FAIL");
      expect(r.message).toMatch(/^inline policy too-much, statement #1 grants s3:PutBucketPolicy/);
      expect(resultOf(results, "siem.reader-access").status).toBe("PASS");
    } finally {
      await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: "too-much" }));
    }
  }, 60_000);

  it("a 30-day expiry under the PCI DSS profile FAILs retention.lifecycle", async () => {
    const s3 = s3Tls();
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: cfg.bucket.name,
        LifecycleConfiguration: {
          Rules: [{ ID: "short", Status: "Enabled", Filter: { Prefix: "client-logs/" }, Expiration: { Days: 30 } }],
        },
      }),
    );
    try {
      // The same deployment, held to PCI DSS retention.
      await writeFile(join(dir, "pci.json"), JSON.stringify({ ...input, retention: { profile: "pci-dss" } }));
      const { results } = await verifySiem(["--rule", "retention.lifecycle"], "pci.json");
      const r = results.filter((x) => x.ruleId === "retention.lifecycle");
      expect(r.map((x) => x.status)).toContain("FAIL");
    } finally {
      await s3.send(new DeleteBucketLifecycleCommand({ Bucket: cfg.bucket.name }));
    }
  }, 60_000);
});

describe("an existing bucket, deployed with a customer key on the queues", () => {
  it("its notifications are never written; the trail's own bucket's are; verify passes once the printed additions are in", async () => {
    const ecfg = configOf(existingInput);
    const [exportFeed, trailFeed] = siemFeeds(ecfg);
    const s3 = s3Tls();
    const written = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: exportFeed!.bucket }));
    expect(written.QueueConfigurations ?? []).toEqual([]);
    const trailNotes = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: trailFeed!.bucket }));
    expect(trailNotes.QueueConfigurations?.map((q) => q.QueueArn)).toEqual([trailFeed!.queueArn]);
    // The queues carry the configured key (the emulator holds no such key: verify says it does not exist).
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: (await sqs.send(new GetQueueUrlCommand({ QueueName: exportFeed!.queueName }))).QueueUrl!,
        AttributeNames: ["All"],
      }),
    );
    expect(attrs.Attributes?.KmsMasterKeyId).toBe(ecfg.siem!.kmsKeyArn);
    const notes = async () =>
      resultOf(
        (await verifySiem(["--rule", "siem.notifications"], "existing.json")).results.filter(
          (r) => r.resource === `s3://${exportFeed!.bucket}`,
        ),
        "siem.notifications",
      );
    expect((await notes()).status).toBe("FAIL");
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: exportFeed!.bucket,
        NotificationConfiguration: { QueueConfigurations: notificationAdditions(exportFeed!) } as never,
      }),
    );
    expect((await notes()).status).toBe("PASS");
    const enc = (await verifySiem(["--rule", "siem.queue-encryption"], "existing.json")).results;
    expect(enc.every((r) => r.status === "FAIL" && r.message.includes("does not exist"))).toBe(true);
  }, 90_000);
});

describe("an existing bucket", () => {
  it("gets no notification resource: synth prints the additions instead", async () => {
    const existing = variants["siem, existing bucket, customer key"]!;
    const { tf } = await synthVariant(existing, join(dir, "existing"));
    // Only the trail's own bucket, which synth creates, has its notifications written.
    const written = Object.values(resourcesOf(tf, "aws_s3_bucket_notification")).map((n) => n.bucket);
    expect(written).toEqual(["acme-existing-logs-trail"]);
    await writeFile(join(dir, "existing.json"), JSON.stringify(existing));
    const r = await runCli(["synth", "-c", "existing.json", "--out", "existing-out"], { cwd: dir, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, " ")).toContain(
      "acme-existing-logs is an existing bucket: its event notifications were left untouched",
    );
    const [existingFeed] = siemFeeds(configOf(existing));
    for (const q of notificationAdditions(existingFeed!)) expect(r.stdout).toContain(`"Id": "${q.Id}"`);
    // The customer key's statement S3 needs, printed too (the key is never written).
    expect(r.stdout).toContain('"Sid": "S3EncryptsSiemNotifications"');
  }, 60_000);
});
