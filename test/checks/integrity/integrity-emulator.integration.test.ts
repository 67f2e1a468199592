/**
 * verify --integrity: a digest chain signed with a key the test generates
 * (served by an injected key source, as CloudTrail ListPublicKeys would),
 * written to the emulator's S3, then tampered with.
 */
import { createHash, createSign, generateKeyPairSync } from "node:crypto";
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PublicKeySource } from "../../../src/checks/integrity/collect.js";
import { parseDuration } from "../../../src/util/duration.js";
import { collectFacts, verifyFacts } from "../../../src/verify/run-one.js";
import { emulatorClients, TEST_CREDENTIALS } from "../../helpers/aws-sdk.js";
import { base, configOf } from "../../helpers/configs.js";
import { type Emulator, startEmulator } from "../../helpers/emulator.js";

const BUCKET = "cloudsmith-acme-logs";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const FINGERPRINT = "0123456789abcdef0123456789abcdef";
const keySource: PublicKeySource = {
  keys: async () => [{ fingerprint: FINGERPRINT, der: publicKey.export({ format: "der", type: "pkcs1" }) }],
};

let emulator: Emulator;
let s3: ReturnType<typeof emulatorClients>["s3"];
const now = new Date();
const day = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${String(now.getUTCDate()).padStart(2, "0")}`;
const base_ = `cloudtrail/AWSLogs/123456789012`;
const logKey = (i: number) => `${base_}/CloudTrail/us-east-1/${day}/123456789012_CloudTrail_us-east-1_log${i}.json.gz`;
const digestKey = (i: number) =>
  `${base_}/CloudTrail-Digest/us-east-1/${day}/123456789012_CloudTrail-Digest_us-east-1_cloudsmith-log-export_us-east-1_${i}.json.gz`;
const logBody = (i: number) =>
  JSON.stringify({
    Records: [{ eventSource: "codeartifact.amazonaws.com", eventName: "ReadFromRepository", eventID: `e${i}` }],
  });
const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const digests: Array<{ key: string; raw: string; signature: string }> = [];

/** Writes digest i (listing log files 2i and 2i+1), signed the way CloudTrail signs. */
async function writeDigest(i: number, opts: { signature?: string } = {}): Promise<void> {
  const prev = digests[i - 1];
  const iso = (h: number) => new Date(now.getTime() + (h - 2) * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const doc = {
    awsAccountId: "123456789012",
    digestStartTime: iso(i),
    digestEndTime: iso(i + 1),
    digestS3Bucket: BUCKET,
    digestS3Object: digestKey(i),
    digestPublicKeyFingerprint: FINGERPRINT,
    digestSignatureAlgorithm: "SHA256withRSA",
    newestEventTime: iso(i + 1),
    oldestEventTime: iso(i),
    previousDigestS3Bucket: prev ? BUCKET : null,
    previousDigestS3Object: prev ? prev.key : null,
    previousDigestHashValue: prev ? sha(prev.raw) : null,
    previousDigestHashAlgorithm: prev ? "SHA-256" : null,
    previousDigestSignature: prev ? prev.signature : null,
    logFiles: [2 * i, 2 * i + 1].map((n) => ({
      s3Bucket: BUCKET,
      s3Object: logKey(n),
      hashValue: sha(logBody(n)),
      hashAlgorithm: "SHA-256",
      newestEventTime: iso(i + 1),
      oldestEventTime: iso(i),
    })),
  };
  const raw = JSON.stringify(doc);
  const toSign = `${doc.digestEndTime}\n${BUCKET}/${doc.digestS3Object}\n${sha(raw)}\n${doc.previousDigestSignature ?? "null"}`;
  const signature = opts.signature ?? createSign("RSA-SHA256").update(toSign).sign(privateKey, "hex");
  digests[i] = { key: digestKey(i), raw, signature };
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: digestKey(i),
      Body: gzipSync(raw),
      Metadata: { signature, "signature-algorithm": "SHA256withRSA" },
    }),
  );
}

const putLog = (n: number, body = logBody(n)) =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: logKey(n), Body: gzipSync(body) }));

async function integrity() {
  const opts = {
    aws: { endpointUrl: emulator.endpoint, credentials: TEST_CREDENTIALS },
    integrity: { since: new Date(now.getTime() - 3_600_000), until: new Date(Date.now() + 3_600_000), keySource },
  };
  const facts = await collectFacts(configOf(base), opts);
  const results = (await verifyFacts(facts, opts)).filter((r) => r.ruleId.startsWith("integrity."));
  return Object.fromEntries(results.map((r) => [r.ruleId, { status: r.status, message: r.message }]));
}

beforeAll(async () => {
  emulator = await startEmulator();
  s3 = emulatorClients(emulator.endpoint).s3;
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (let n = 0; n < 6; n++) await putLog(n);
  for (let i = 0; i < 3; i++) await writeDigest(i);
}, 60_000);
afterAll(() => emulator?.stop());

describe("verify --integrity", () => {
  it("an intact chain passes all three checks", async () => {
    const r = await integrity();
    expect(r["integrity.digest-signatures"]).toEqual({ status: "PASS", message: "3 digest signatures valid" });
    expect(r["integrity.digest-chain"]).toEqual({ status: "PASS", message: "3 digests form an unbroken chain" });
    expect(r["integrity.log-files"]).toEqual({ status: "PASS", message: "6 of 6 log files match their digests" });
  });

  it("detects a changed log file", async () => {
    await putLog(3, logBody(99));
    try {
      expect((await integrity())["integrity.log-files"]).toMatchObject({
        status: "FAIL",
        message: expect.stringMatching(/modified: .*log3\.json\.gz/),
      });
    } finally {
      await putLog(3);
    }
  });

  it("detects a deleted log file and one that no digest lists", async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: logKey(5) }));
    await putLog(42);
    try {
      const m = (await integrity())["integrity.log-files"]!.message;
      expect(m).toMatch(/missing: .*log5\.json\.gz/);
      expect(m).toMatch(/not listed in any digest: .*log42\.json\.gz/);
    } finally {
      await putLog(5);
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: logKey(42) }));
    }
  });

  it("detects a broken signature", async () => {
    const good = digests[2]!.signature;
    await writeDigest(2, { signature: good.replace(/^./, (c) => (c === "0" ? "1" : "0")) });
    try {
      expect((await integrity())["integrity.digest-signatures"]).toMatchObject({
        status: "FAIL",
        message: expect.stringMatching(/1 of 3 digests fail: .*_2\.json\.gz: signature does not match/),
      });
    } finally {
      await writeDigest(2);
    }
  });

  it("detects a deleted digest as a gap in the chain", async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: digestKey(1) }));
    try {
      const r = await integrity();
      expect(r["integrity.digest-chain"]).toMatchObject({
        status: "FAIL",
        message: expect.stringMatching(/_1\.json\.gz is missing \(referenced by .*_2\.json\.gz\)/),
      });
      // The files only that digest listed are now vouched for by nobody.
      expect(r["integrity.log-files"]!.message).toMatch(/not listed in any digest: .*log2\.json\.gz/);
    } finally {
      await writeDigest(1);
      await writeDigest(2);
    }
  });

  it("a tampered digest body breaks its own signature and the next digest's link", async () => {
    const d = digests[1]!;
    const forged = d.raw.replace(/"hashValue":"[0-9a-f]{4}/, '"hashValue":"0000');
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: d.key,
        Body: gzipSync(forged),
        Metadata: { signature: d.signature },
      }),
    );
    try {
      const r = await integrity();
      expect(r["integrity.digest-signatures"]!.status).toBe("FAIL");
      expect(r["integrity.digest-chain"]).toMatchObject({
        status: "FAIL",
        message: expect.stringMatching(/was changed/),
      });
    } finally {
      await writeDigest(1);
      await writeDigest(2);
    }
  });

  it("durations for --since", () => {
    expect(parseDuration("24h")).toBe(86_400_000);
    expect(parseDuration("90m")).toBe(5_400_000);
    expect(parseDuration("7d")).toBe(604_800_000);
    expect(() => parseDuration("yesterday")).toThrow(/not a duration/);
  });
});
