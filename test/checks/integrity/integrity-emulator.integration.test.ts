/**
 * verify --integrity end to end on the emulator: a signed history written the
 * way CloudTrail writes it, keys served by the emulator's ListPublicKeys, the
 * trail found through CloudTrail (our own, and an existing organization trail
 * whose layout is read from its bucket); then tampered with, and fed hostile
 * objects that must cost bounded memory.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../../src/config/schema.js";
import { parseDuration } from "../../../src/util/duration.js";
import { collectFacts, verifyFacts } from "../../../src/verify/run-one.js";
import { emulatorClients, TEST_CREDENTIALS } from "../../helpers/aws-sdk.js";
import { publishKeys, signingKey, writeHistory } from "../../helpers/cloudtrail-history.js";
import { base, configOf } from "../../helpers/configs.js";
import { type Emulator, startEmulator } from "../../helpers/emulator.js";

const BUCKET = "cloudsmith-acme-logs";
const TRAIL = "cloudsmith-log-export";
const HOURS = 4;
const hourNow = Math.floor(Date.now() / 3_600_000) * 3600;
const START = hourNow - HOURS * 3600;
const key = signingKey("0123456789abcdef0123456789abcdef");

let emulator: Emulator;
let c: ReturnType<typeof emulatorClients>;
let history: { digests: string[]; logs: string[] };

async function integrity(input: ConfigInput = base) {
  const opts = {
    aws: { endpointUrl: emulator.endpoint, credentials: TEST_CREDENTIALS },
    integrity: { since: new Date(START * 1000) },
  };
  const facts = await collectFacts(configOf(input), opts);
  const results = (await verifyFacts(facts, opts)).filter((r) => r.ruleId.startsWith("integrity."));
  return Object.fromEntries(results.map((r) => [r.ruleId, { status: r.status, message: r.message }]));
}

const rewrite = () =>
  writeHistory(emulator.endpoint, {
    bucket: BUCKET,
    prefix: "cloudtrail",
    trail: TRAIL,
    start: START,
    hours: HOURS,
    keys: [{ key, fromHour: 0 }],
  });

beforeAll(async () => {
  const keysFile = join(await mkdtemp(join(tmpdir(), "cle-integrity-")), "keys.json");
  await publishKeys(keysFile, [{ key, start: START - 3600, end: hourNow + 7200 }]);
  emulator = await startEmulator({ env: { CLE_CLOUDTRAIL_PUBLIC_KEYS: keysFile } });
  c = emulatorClients(emulator.endpoint);
  await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await c.cloudtrail.send(
    new CreateTrailCommand({
      Name: TRAIL,
      S3BucketName: BUCKET,
      S3KeyPrefix: "cloudtrail",
      EnableLogFileValidation: true,
    }),
  );
  await c.cloudtrail.send(new StartLoggingCommand({ Name: TRAIL }));
  history = await rewrite();
}, 60_000);
afterAll(() => emulator?.stop());

describe("verify --integrity", () => {
  it("an intact history passes all three checks", async () => {
    const r = await integrity();
    expect(r["integrity.digest-signatures"]).toEqual({ status: "PASS", message: `${HOURS} digest signatures valid` });
    expect(r["integrity.digest-chain"]).toMatchObject({
      status: "PASS",
      message: expect.stringMatching(/^4 digests chained up to /),
    });
    expect(r["integrity.log-files"]).toEqual({ status: "PASS", message: "12 of 12 log files match their digests" });
  });

  it("a changed log file, a deleted one, and one no digest lists", async () => {
    await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: history.logs[3]!, Body: gzipSync("{}") }));
    await c.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: history.logs[5]! }));
    const planted = history.logs[6]!.replace(/_h2n0\.json\.gz$/, "_planted.json.gz");
    await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: planted, Body: gzipSync('{"Records":[]}') }));
    try {
      const m = (await integrity())["integrity.log-files"]!;
      expect(m.status).toBe("FAIL");
      expect(m.message).toContain(`modified: ${history.logs[3]}`);
      expect(m.message).toContain(`missing: ${history.logs[5]}`);
      expect(m.message).toContain(`not listed in any digest: ${planted}`);
    } finally {
      await c.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: planted }));
      history = await rewrite();
    }
  });

  it("a deleted digest is a missing link; the newest digests deleted are a truncated tail", async () => {
    await c.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: history.digests[1]! }));
    try {
      expect((await integrity())["integrity.digest-chain"]).toMatchObject({
        status: "FAIL",
        message: expect.stringContaining(
          `${history.digests[1]} is missing (the chain names it in ${history.digests[2]})`,
        ),
      });
    } finally {
      history = await rewrite();
    }
    for (const d of history.digests.slice(-3)) await c.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: d }));
    try {
      expect((await integrity())["integrity.digest-chain"]).toMatchObject({
        status: "FAIL",
        message: expect.stringMatching(
          /the newest digest is from .*the digests after it were deleted, or delivery is failing/,
        ),
      });
    } finally {
      history = await rewrite();
    }
  });

  it("a forged digest (bad signature) drives no reads: its entries naming another bucket are never fetched", async () => {
    const forged = history.digests[HOURS - 1]!;
    const doc = {
      digestStartTime: new Date((hourNow - 3600) * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
      digestEndTime: new Date(hourNow * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
      digestS3Bucket: BUCKET,
      digestS3Object: forged,
      digestPublicKeyFingerprint: key.fingerprint,
      digestSignatureAlgorithm: "SHA256withRSA",
      previousDigestS3Bucket: BUCKET,
      previousDigestS3Object: history.digests[HOURS - 2],
      previousDigestHashValue: null,
      previousDigestHashAlgorithm: null,
      previousDigestSignature: null,
      logFiles: [
        { s3Bucket: "someone-elses-bucket", s3Object: "secret.json.gz", hashValue: "00", hashAlgorithm: "SHA-256" },
      ],
    };
    await c.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: forged,
        Body: gzipSync(JSON.stringify(doc)),
        Metadata: { signature: "ab".repeat(256), "signature-algorithm": "SHA256withRSA" },
      }),
    );
    try {
      const r = await integrity();
      expect(r["integrity.digest-signatures"]).toMatchObject({
        status: "FAIL",
        message: expect.stringContaining(`${forged}: signature verification failed`),
      });
      // Had the entry been read, the missing bucket would have made the whole pack ERROR. A digest
      // that does not verify vouches for nothing: the log files rule says they are not checked.
      expect(r["integrity.log-files"]).toMatchObject({
        status: "ERROR",
        message: expect.stringMatching(/1 digest\(s\) do not verify .* so the log files they list are not checked/),
      });
    } finally {
      history = await rewrite();
    }
  });

  it("a gzip bomb where a log file should be: reported, with bounded memory", async () => {
    // 1.5 GiB of zeros, about 1.5 MB compressed, over the 1 GiB limit for a log file.
    // Concatenated gzip members inflate one after another.
    const member = gzipSync(Buffer.alloc(64 * 2 ** 20), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 24 }, () => member));
    await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: history.logs[0]!, Body: bomb }));
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const r = await integrity();
      // Not read to the end, so not decided: ERROR naming the key, never PASS.
      expect(r["integrity.log-files"]).toMatchObject({
        status: "ERROR",
        message: `larger than 1 GiB uncompressed, not read to the end, so not decided: ${history.logs[0]}`,
      });
      expect((peak - before) / 2 ** 20, "extra memory in MiB").toBeLessThan(200);
    } finally {
      clearInterval(timer);
      history = await rewrite();
    }
  }, 60_000);

  it("a digest that inflates past 4 MiB: all three rules ERROR naming it, never PASS, memory bounded", async () => {
    // 60 MiB of JSON from a few hundred KiB: read whole, such digests cost 951 MB.
    const newest = history.digests[history.digests.length - 1]!;
    const bomb = gzipSync(`{"logFiles":[${'"x",'.repeat(15 * 2 ** 20)}"x"]}`, { level: 9 });
    await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: newest, Body: bomb }));
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const r = await integrity();
      for (const id of ["integrity.digest-chain", "integrity.digest-signatures", "integrity.log-files"]) {
        expect(r[id], id).toMatchObject({
          status: "ERROR",
          message: expect.stringContaining(`${newest}: larger than 4 MiB uncompressed, not read`),
        });
      }
      expect((peak - before) / 2 ** 20, "extra memory in MiB").toBeLessThan(200);
    } finally {
      clearInterval(timer);
      history = await rewrite();
    }
  }, 60_000);

  it("an existing organization trail: its layout found from its bucket, validated the same way", async () => {
    // moto records an organization trail only inside an organization.
    const cli = (args: string[]) =>
      promisify(execFile)("aws", [...args, "--region", "us-east-1", "--endpoint-url", emulator.endpoint], {
        env: { ...process.env, ...emulator.env },
      });
    await cli(["organizations", "create-organization", "--feature-set", "ALL"]);
    const org = (
      await cli(["organizations", "describe-organization", "--query", "Organization.Id", "--output", "text"])
    ).stdout.trim();
    const orgBucket = "acme-org-trail-logs";
    const orgTrail = "org-baseline";
    await c.s3.send(new CreateBucketCommand({ Bucket: orgBucket }));
    await c.cloudtrail.send(
      new CreateTrailCommand({
        Name: orgTrail,
        S3BucketName: orgBucket,
        EnableLogFileValidation: true,
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
      }),
    );
    await writeHistory(emulator.endpoint, {
      bucket: orgBucket,
      trail: orgTrail,
      org,
      start: START,
      hours: HOURS,
      keys: [{ key, fromHour: 0 }],
    });
    const input = {
      ...base,
      cloudtrail: {
        mode: "existing" as const,
        trailArn: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${orgTrail}`,
        organizationId: org,
      },
    };
    const r = await integrity(input);
    expect(
      Object.values(r).map((x) => x.status),
      JSON.stringify(r),
    ).toEqual(["PASS", "PASS", "PASS"]);
  });

  it("durations for --since", () => {
    expect(parseDuration("24h")).toBe(86_400_000);
    expect(parseDuration("90m")).toBe(5_400_000);
    expect(parseDuration("7d")).toBe(604_800_000);
    expect(() => parseDuration("yesterday")).toThrow(/not a duration/);
  });
});
