/**
 * Differential tests: the same signed CloudTrail histories in the emulator,
 * validated by `aws cloudtrail validate-logs` (the AWS CLI v1 on the machine,
 * the reference) and by our validator. Per file, both must agree: which
 * digests and log files are valid and which are not, how many chain breaks,
 * and whether the run fails. What only we check (a truncated tail, an empty
 * window while validation is on) is asserted on top.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { CreateTrailCommand } from "@aws-sdk/client-cloudtrail";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClients } from "../../../src/aws/clients.js";
import type { TrailLocation } from "../../../src/cloudtrail/layout.js";
import type { IntegrityReport } from "../../../src/cloudtrail/validate/report.js";
import { cloudTrailKeySource, validateLogs } from "../../../src/cloudtrail/validate/validate-logs.js";
import { emulatorClients, TEST_CREDENTIALS } from "../../helpers/aws-sdk.js";
import { type HistorySpec, publishKeys, signingKey, writeHistory } from "../../helpers/cloudtrail-history.js";
import { base, configOf } from "../../helpers/configs.js";
import { type Emulator, startEmulator } from "../../helpers/emulator.js";

const run = promisify(execFile);
const ACCOUNT = "123456789012";
const HOURS = 6;
const hourNow = Math.floor(Date.now() / 3_600_000) * 3600;
const START = hourNow - HOURS * 3600;

let emulator: Emulator;
let clients: ReturnType<typeof emulatorClients>;
let keysFile: string;
const k1 = signingKey("aaaa1111aaaa1111aaaa1111aaaa1111");
const k2 = signingKey("bbbb2222bbbb2222bbbb2222bbbb2222");
const kBackfill = signingKey("cccc3333cccc3333cccc3333cccc3333");
const kUnknown = signingKey("dddd4444dddd4444dddd4444dddd4444");
const BACKFILL_GENERATED = START - 20 * 86_400;

interface Verdicts {
  invalidDigests: string[];
  invalidLogs: string[];
  validDigests: number;
  validLogs: number;
  breaks: number;
  fails: boolean;
}

const sorted = (xs: string[]) => [...new Set(xs)].sort();

/** The reference: `aws cloudtrail validate-logs --verbose`, its per-file lines parsed. */
async function reference(trail: string, opts: { accountId?: string } = {}): Promise<Verdicts> {
  const args = [
    "cloudtrail",
    "validate-logs",
    "--trail-arn",
    `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${trail}`,
    "--start-time",
    new Date(START * 1000).toISOString(),
    "--verbose",
    "--region",
    "us-east-1",
    "--endpoint-url",
    emulator.endpoint,
    ...(opts.accountId ? ["--account-id", opts.accountId] : []),
  ];
  const env = { ...process.env, ...emulator.env, AWS_ENDPOINT_URL: emulator.endpoint, AWS_PAGER: "" };
  let stdout = "";
  let stderr = "";
  let code = 0;
  try {
    ({ stdout, stderr } = await run("aws", args, { env, timeout: 120_000 }));
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof err.code !== "number")
      throw new Error(`aws cloudtrail validate-logs did not run (is the AWS CLI installed?): ${String(e)}`);
    ({ stdout = "", stderr = "" } = err);
    code = err.code;
  }
  const lines = `${stdout}\n${stderr}`.split("\n");
  const keyOf = (l: string) => l.split("\t")[1]!.replace(/^s3:\/\/[^/]+\//, "");
  const digestLines = lines.filter((l) => /^(\(backfill\) )?Digest file\t/.test(l));
  const logLines = lines.filter((l) => l.startsWith("Log file\t"));
  if (code !== 0 && code !== 1) throw new Error(`validate-logs exited ${code}:\n${stdout}\n${stderr}`);
  return {
    invalidDigests: sorted(digestLines.filter((l) => l.includes("\tINVALID")).map(keyOf)),
    invalidLogs: sorted(logLines.filter((l) => l.includes("\tINVALID")).map(keyOf)),
    validDigests: digestLines.filter((l) => l.endsWith("\tvalid")).length,
    validLogs: logLines.filter((l) => l.endsWith("\tvalid")).length,
    breaks: lines.filter((l) => l.includes("No log files were delivered by CloudTrail between")).length,
    fails: code === 1,
  };
}

/** Ours, through the emulator's ListPublicKeys and S3, reduced to the same verdicts. */
async function ours(loc: TrailLocation): Promise<{ v: Verdicts; report: IntegrityReport }> {
  const c = await createClients(configOf(base), { endpointUrl: emulator.endpoint, credentials: TEST_CREDENTIALS });
  try {
    const report = await validateLogs(c, loc, { since: new Date(START * 1000), keySource: cloudTrailKeySource(c) });
    const keyOf = (m: string) => m.replace(/^\(backfill\) /, "").split(/: | is missing/)[0]!;
    const invalidLogs = [
      ...report.logFiles.missing,
      ...report.logFiles.modified,
      ...report.logFiles.unreadable.map((m) => m.split(" (")[0]!),
    ];
    const missingDigests = report.chain.gaps.filter((g) => g.includes(" is missing")).map(keyOf);
    const invalidDigests = [...report.signatures.invalid.map(keyOf), ...missingDigests];
    return {
      report,
      v: {
        invalidDigests: sorted(invalidDigests),
        invalidLogs: sorted(invalidLogs),
        validDigests: report.signatures.valid,
        validLogs: report.logFiles.valid,
        breaks: report.chain.breaks.length,
        fails: invalidDigests.length + invalidLogs.length + report.chain.gaps.length > 0,
      },
    };
  } finally {
    c.destroy();
  }
}

/** A bucket, a trail in moto (validate-logs finds the bucket through it) and its history. */
async function scenario(
  name: string,
  spec: Partial<HistorySpec> = {},
  trailExtra: Record<string, unknown> = {},
): Promise<{ trail: string; bucket: string; loc: TrailLocation; written: { digests: string[]; logs: string[] } }> {
  const bucket = `ct-${name}`;
  const trail = `t-${name}`;
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.cloudtrail.send(
    new CreateTrailCommand({
      Name: trail,
      S3BucketName: bucket,
      S3KeyPrefix: "cloudtrail",
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      ...trailExtra,
    }),
  );
  const written = await writeHistory(emulator.endpoint, {
    bucket,
    prefix: "cloudtrail",
    trail,
    start: START,
    hours: HOURS,
    keys: [{ key: k1, fromHour: 0 }],
    ...spec,
  });
  const loc: TrailLocation = {
    bucket,
    prefix: "cloudtrail",
    accountId: ACCOUNT,
    trailName: trail,
    homeRegion: "us-east-1",
    region: "us-east-1",
    ...(spec.org ? { organizationId: spec.org } : {}),
  };
  return { trail, bucket, loc, written };
}

async function agree(s: Awaited<ReturnType<typeof scenario>>, opts: { accountId?: string } = {}) {
  const [ref, mine] = await Promise.all([reference(s.trail, opts), ours(s.loc)]);
  expect(mine.v, "our verdicts against aws cloudtrail validate-logs").toEqual(ref);
  return { ref, ...mine };
}

const put = (Bucket: string, Key: string, body: string) =>
  clients.s3.send(new PutObjectCommand({ Bucket, Key, Body: gzipSync(body) }));
const del = (Bucket: string, Key: string) => clients.s3.send(new DeleteObjectCommand({ Bucket, Key }));

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "cle-diff-"));
  keysFile = join(dir, "keys.json");
  const window = { start: START - 3600, end: hourNow + 7200 };
  await publishKeys(keysFile, [
    { key: k1, ...window },
    { key: k2, ...window },
    // The backfill key is valid only around its generation time, outside the window.
    { key: kBackfill, start: BACKFILL_GENERATED - 1800, end: BACKFILL_GENERATED + 1800 },
  ]);
  emulator = await startEmulator({ env: { CLE_CLOUDTRAIL_PUBLIC_KEYS: keysFile } });
  clients = emulatorClients(emulator.endpoint);
}, 60_000);
afterAll(() => emulator?.stop());

describe("integrity: ours and aws cloudtrail validate-logs agree", () => {
  it("an intact history", async () => {
    const r = await agree(await scenario("intact"));
    expect(r.ref).toMatchObject({ validDigests: HOURS, validLogs: HOURS * 3, fails: false });
    expect(r.report.tail).toBeUndefined();
  });

  it("a modified log file", async () => {
    const s = await scenario("modified-log");
    await put(s.bucket, s.written.logs[4]!, '{"Records":[]}');
    const r = await agree(s);
    expect(r.ref.invalidLogs).toEqual([s.written.logs[4]]);
  });

  it("a deleted log file", async () => {
    const s = await scenario("deleted-log");
    await del(s.bucket, s.written.logs[7]!);
    expect((await agree(s)).ref.invalidLogs).toEqual([s.written.logs[7]]);
  });

  it("a digest deleted from the middle of the chain", async () => {
    const s = await scenario("deleted-digest");
    await del(s.bucket, s.written.digests[2]!);
    const r = await agree(s);
    expect(r.ref.invalidDigests).toEqual([s.written.digests[2]]);
  });

  it("an altered digest (its content changed, its signature kept)", async () => {
    const s = await scenario("altered-digest");
    const key = s.written.digests[3]!;
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: s.bucket, Key: key }));
    const doc = JSON.parse(
      (await import("node:zlib"))
        .gunzipSync(
          await (
            await clients.s3.send(new GetObjectCommand({ Bucket: s.bucket, Key: key }))
          ).Body!.transformToByteArray(),
        )
        .toString(),
    );
    doc.logFiles = doc.logFiles.slice(1);
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: s.bucket,
        Key: key,
        Body: gzipSync(JSON.stringify(doc)),
        Metadata: head.Metadata,
      }),
    );
    expect((await agree(s)).ref.invalidDigests).toEqual([key]);
  });

  it("a broken signature", async () => {
    const s = await scenario("bad-signature");
    const key = s.written.digests[1]!;
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: s.bucket, Key: key }));
    const signature = head.Metadata!.signature!;
    await clients.s3.send(
      new CopyObjectCommand({
        Bucket: s.bucket,
        Key: key,
        CopySource: `${s.bucket}/${key}`,
        MetadataDirective: "REPLACE",
        Metadata: { ...head.Metadata, signature: `${signature.startsWith("0") ? "1" : "0"}${signature.slice(1)}` },
      }),
    );
    expect((await agree(s)).ref.invalidDigests).toEqual([key]);
  });

  it("key rotation: two keys, each for part of the window", async () => {
    const r = await agree(
      await scenario("rotation", {
        keys: [
          { key: k1, fromHour: 0 },
          { key: k2, fromHour: 3 },
        ],
      }),
    );
    expect(r.ref).toMatchObject({ validDigests: HOURS, fails: false });
  });

  it("a digest signed with a key CloudTrail does not list", async () => {
    const s = await scenario("unknown-key", {
      keys: [
        { key: k1, fromHour: 0 },
        { key: kUnknown, fromHour: 4 },
        { key: k1, fromHour: 5 },
      ],
    });
    expect((await agree(s)).ref.invalidDigests).toEqual([s.written.digests[4]]);
  });

  it("backfill digests: their own chain, their key found by their generation time", async () => {
    const s = await scenario("backfill", {
      backfill: { fromHour: 2, toHour: 3, generated: BACKFILL_GENERATED, key: 1 },
      keys: [
        { key: k1, fromHour: 0 },
        { key: kBackfill, fromHour: 99 },
      ],
    });
    const r = await agree(s);
    expect(r.ref).toMatchObject({ validDigests: HOURS, fails: false });
    expect(r.report.backfillDigests).toBe(2);
  });

  it("empty hours: digests that list no log file", async () => {
    const r = await agree(await scenario("empty-hours", { emptyHours: [2, 3] }));
    expect(r.ref).toMatchObject({ validDigests: HOURS, validLogs: (HOURS - 2) * 3, fails: false });
  });

  it("the organization-trail layout (AWSLogs/<org id>/<account>/)", async () => {
    await run(
      "aws",
      [
        "organizations",
        "create-organization",
        "--feature-set",
        "ALL",
        "--region",
        "us-east-1",
        "--endpoint-url",
        emulator.endpoint,
      ],
      {
        env: { ...process.env, ...emulator.env },
      },
    ).catch(() => undefined); // one organization per emulator
    const { stdout } = await run(
      "aws",
      [
        "organizations",
        "describe-organization",
        "--region",
        "us-east-1",
        "--endpoint-url",
        emulator.endpoint,
        "--query",
        "Organization.Id",
        "--output",
        "text",
      ],
      { env: { ...process.env, ...emulator.env } },
    );
    const org = stdout.trim();
    const s = await scenario("org", { org }, { IsOrganizationTrail: true });
    const r = await agree(s, { accountId: ACCOUNT });
    expect(r.ref).toMatchObject({ validDigests: HOURS, fails: false });
  });

  it("a truncated tail: both agree on every file left; only ours sees the newest digests are gone", async () => {
    const s = await scenario("truncated");
    for (const d of s.written.digests.slice(-3)) await del(s.bucket, d);
    for (const l of s.written.logs.slice(-9)) await del(s.bucket, l);
    const r = await agree(s);
    expect(r.ref).toMatchObject({ validDigests: HOURS - 3, fails: false });
    expect(r.report.tail).toMatch(/the newest digest is from .*: the digests after it were deleted/);
  });

  it("every digest deleted: the reference finds none; ours fails the empty window", async () => {
    const s = await scenario("all-deleted");
    for (const d of s.written.digests) await del(s.bucket, d);
    const r = await agree(s);
    expect(r.ref).toMatchObject({ validDigests: 0, fails: false });
    expect(r.report.tail).toMatch(/no digest file between .* although log file validation is on/);
  });
});
