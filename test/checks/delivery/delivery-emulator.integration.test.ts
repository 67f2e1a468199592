/** verify --delivery against objects in the emulator's S3, written the way an export would arrive. */
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../../src/config/schema.js";
import type { Result } from "../../../src/engine/evaluate.js";
import { collectFacts, verifyFacts } from "../../../src/verify/run-one.js";
import { emulatorClients, TEST_CREDENTIALS } from "../../helpers/aws-sdk.js";
import { base, configOf } from "../../helpers/configs.js";
import { type Emulator, startEmulator } from "../../helpers/emulator.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");
const BUCKET = "cloudsmith-acme-logs";
let emulator: Emulator;
let s3: ReturnType<typeof emulatorClients>["s3"];

let statusFile: string;

beforeAll(async () => {
  statusFile = join(await mkdtemp(join(tmpdir(), "cle-delivery-")), "status.json");
  emulator = await startEmulator({ env: { CLE_CLOUDTRAIL_STATUS: statusFile } });
  const c = emulatorClients(emulator.endpoint);
  s3 = c.s3;
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await c.iam.send(new CreateRoleCommand({ RoleName: "CloudsmithLogsWriter", AssumeRolePolicyDocument: "{}" }));
  // The trail was just created and started: it may not have delivered yet.
  await c.cloudtrail.send(
    new CreateTrailCommand({ Name: "cloudsmith-log-export", S3BucketName: BUCKET, S3KeyPrefix: "cloudtrail" }),
  );
  await c.cloudtrail.send(new StartLoggingCommand({ Name: "cloudsmith-log-export" }));
}, 60_000);
afterAll(() => emulator?.stop());

async function delivery(input: ConfigInput = base, now?: Date): Promise<Result[]> {
  const facts = await collectFacts(configOf(input), {
    aws: { endpointUrl: emulator.endpoint, credentials: TEST_CREDENTIALS },
    delivery: { maxAgeHours: 26, now },
  });
  return (await verifyFacts(facts, { aws: {}, delivery: { maxAgeHours: 26, now } })).filter((r) =>
    r.ruleId.startsWith("delivery."),
  );
}
const find = (rs: Result[], id: string, resource?: string) =>
  rs.filter((r) => r.ruleId === id && (!resource || r.resource.includes(resource)));
const put = (Key: string, Body: Uint8Array | string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));

describe("verify --delivery", () => {
  it("an empty bucket right after deploy: no export yet, not an error", async () => {
    const rs = await delivery();
    expect(find(rs, "delivery.freshness").map((r) => [r.status, r.message])).toEqual([
      ["SKIPPED", "no export yet (the first export arrives within the hour)"],
      ["SKIPPED", "no export yet (the first export arrives within the hour)"],
    ]);
    expect(rs.filter((r) => r.status === "ERROR")).toEqual([]);
    expect(find(rs, "delivery.cloudtrail")[0]).toMatchObject({ status: "SKIPPED" });
  });

  it("no CloudTrail file for a week on a trail that has logged for months: FAIL, never SKIPPED", async () => {
    const longAgo = Date.UTC(2026, 0, 1) / 1000;
    await writeFile(statusFile, JSON.stringify({ "cloudsmith-log-export": { StartLoggingTime: longAgo } }));
    try {
      expect(find(await delivery(), "delivery.cloudtrail")[0]).toMatchObject({
        status: "FAIL",
        message: expect.stringMatching(
          /no CloudTrail log file in the last 7 days under s3:\/\/cloudsmith-acme-logs\/cloudtrail\/AWSLogs\/123456789012\/CloudTrail\/us-east-1\//,
        ),
      });
    } finally {
      await writeFile(statusFile, "{}");
    }
  });

  it("a listing that fails is an ERROR, never 'no export yet'", async () => {
    const rs = await delivery({ ...base, bucket: { name: "no-such-bucket-here" } });
    // Each prefix says so for itself: one failing never hides the other.
    expect(find(rs, "delivery.freshness").map((r) => r.status)).toEqual(["ERROR", "ERROR"]);
    expect(find(rs, "delivery.freshness")[0]!.message).toMatch(
      /could not read the objects under client-logs: NoSuchBucket/,
    );
    expect(find(rs, "delivery.freshness")[1]!.message).toMatch(
      /could not read the objects under audit-logs: NoSuchBucket/,
    );
  });

  it("still empty a day after the role was created: FAIL", async () => {
    const rs = await delivery(base, new Date(Date.now() + 30 * 3_600_000));
    expect(find(rs, "delivery.freshness").map((r) => r.status)).toEqual(["FAIL", "FAIL"]);
  });

  it("reads fresh exports: gzip found by magic bytes whatever the name, records counted", async () => {
    const line = fixture("cloudsmith-client-log.json-stream-timestamp").trim();
    await put("client-logs/2026/export-0001", gzipSync(`${line}\n${line}\n${line}\n`)); // no extension, gzipped
    const audit = (JSON.parse(fixture("cloudsmith-audit-log-page.json")) as object[])
      .map((e) => `2024-02-12T10:30:45Z\t${JSON.stringify(e)}`)
      .join("\n");
    await put("audit-logs/export.log", audit); // plain text, tab separator
    const rs = await delivery();
    expect(find(rs, "delivery.freshness", "client-logs")[0]).toMatchObject({
      status: "PASS",
      message: expect.stringMatching(/export-0001 \(gzip\)/),
    });
    expect(find(rs, "delivery.format", "client-logs")[0]).toMatchObject({
      status: "PASS",
      message: "3 JSON Stream + Timestamp records read from 1 object(s)",
    });
    expect(find(rs, "delivery.format", "audit-logs")[0]).toMatchObject({
      status: "PASS",
      message: "1 JSON Stream + Timestamp records read from 1 object(s)",
    });
    expect(find(rs, "delivery.cadence").map((r) => r.status)).toEqual(["PASS", "PASS"]);
  });

  it("an old newest export fails freshness and is a recommendation past 2 h", async () => {
    const rs = await delivery(base, new Date(Date.now() + 5 * 3_600_000));
    expect(find(rs, "delivery.freshness").map((r) => r.status)).toEqual(["PASS", "PASS"]);
    expect(find(rs, "delivery.cadence").map((r) => r.status)).toEqual(["ADVICE", "ADVICE"]);
    const late = await delivery(base, new Date(Date.now() + 27 * 3_600_000));
    expect(find(late, "delivery.freshness")[0]).toMatchObject({
      status: "FAIL",
      message: expect.stringMatching(/old \(limit 26 h\)/),
    });
  });

  it("a malformed line fails the format check with its object and line number", async () => {
    const line = fixture("cloudsmith-client-log.json-stream-timestamp").trim();
    await put("client-logs/2026/export-0002", `${line}\r\n{"broken\r\n`);
    const rs = await delivery();
    expect(find(rs, "delivery.format", "client-logs")[0]).toMatchObject({
      status: "FAIL",
      message: expect.stringMatching(/client-logs\/2026\/export-0002 line 2: expected '<timestamp> <json object>'/),
    });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "client-logs/2026/export-0002" }));
  });

  it("the wrong format fails; excluded fields that arrive anyway fail", async () => {
    const wrongFormat = await delivery({ ...base, format: "csv" });
    expect(find(wrongFormat, "delivery.format", "client-logs")[0]!.status).toBe("FAIL");
    const excluded = await delivery({ ...base, exclude: ["ip", "geo"] });
    expect(find(excluded, "delivery.excluded-fields", "client-logs")[0]).toMatchObject({
      status: "FAIL",
      message: "excluded but present: ip, geo",
    });
  });

  it("CloudTrail files: newest file, counts by source, CodeArtifact and Cloudsmith's writes", async () => {
    const d = new Date();
    const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`;
    const records = [
      ...JSON.parse(fixture("cloudtrail-codeartifact.json")).Records,
      ...JSON.parse(fixture("cloudtrail-s3.json")).Records,
      {
        eventSource: "s3.amazonaws.com",
        eventName: "PutObject",
        requestParameters: { bucketName: BUCKET, key: "client-logs/2026/export-0001" },
      },
    ];
    await put(
      `cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/${day}/123456789012_CloudTrail_us-east-1_${day.replace(/\//g, "")}T0000Z_x.json.gz`,
      gzipSync(JSON.stringify({ Records: records })),
    );
    const rs = await delivery();
    expect(find(rs, "delivery.cloudtrail")[0]).toMatchObject({
      status: "PASS",
      message: expect.stringMatching(/6 records in 1 file\(s\): s3.amazonaws.com 4, codeartifact.amazonaws.com 2/),
    });
    expect(find(rs, "delivery.cloudtrail-coverage")[0]).toMatchObject({
      status: "PASS",
      message: "CodeArtifact: 1 read-only, 1 write; Cloudsmith writes on the export prefixes: 1",
    });
    // CloudTrail's own files at the bucket root are never mistaken for exports.
    const root = await delivery({ ...base, logTypes: { client: { prefix: "" } }, cloudtrail: { dataEvents: false } });
    expect(find(root, "delivery.format")[0]!.message).not.toMatch(/AWSLogs/);
  });

  it("a gzip bomb in an export prefix: only its head is read, with bounded memory", async () => {
    // 1.5 GiB of newlines inflated from about 1.5 MB: only the first 16 MiB are parsed.
    const member = gzipSync(Buffer.alloc(64 * 2 ** 20, 10), { level: 9 });
    const key = "client-logs/2026/11/21/13/export-bomb.gz";
    await put(key, Buffer.concat(Array.from({ length: 24 }, () => member)));
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const rs = await delivery();
      expect(find(rs, "delivery.freshness", "client-logs")[0]!.status).not.toBe("ERROR");
      expect((peak - before) / 2 ** 20, "extra memory in MiB").toBeLessThan(200);
    } finally {
      clearInterval(timer);
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    }
  }, 60_000);
});

describe("CloudTrail log files that CloudTrail did not write", () => {
  const today = () => {
    const d = new Date();
    return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`;
  };
  const trailKey = (name: string) =>
    `cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/${today()}/123456789012_CloudTrail_us-east-1_${today().replace(/\//g, "")}T2359Z_${name}.json.gz`;

  it("a file of 250 MiB of records, inflated: read record by record, memory bounded, counted", async () => {
    // One record, repeated: 250 MiB of JSON from about 1 MB of gzip. Read whole, it cost 837 MB.
    const record = JSON.stringify({ eventSource: "s3.amazonaws.com", eventName: "GetObject", pad: "x".repeat(2000) });
    const count = Math.ceil((250 * 2 ** 20) / (record.length + 1));
    const body = Buffer.from(`{"Records":[${`${record},`.repeat(count - 1)}${record}]}`);
    const key = trailKey("big");
    await put(key, gzipSync(body, { level: 9 }));
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const rs = await delivery();
      const r = find(rs, "delivery.cloudtrail")[0]!;
      expect(r.status).not.toBe("ERROR");
      // Every record counted (a file of a few records from an earlier case may sit beside it).
      const counted = Number(/s3\.amazonaws\.com (\d+)/.exec(r.message)?.[1]);
      expect(counted - count).toBeGreaterThanOrEqual(0);
      expect(counted - count).toBeLessThan(10);
      expect((peak - before) / 2 ** 20, "extra memory in MiB").toBeLessThan(200);
    } finally {
      clearInterval(timer);
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    }
  }, 120_000);

  it("a gzip bomb, a cut-off file and a file that is not JSON: ERROR naming the key, never PASS", async () => {
    const member = gzipSync(Buffer.alloc(64 * 2 ** 20, 0x20), { level: 9 });
    const cases: Array<[string, Buffer, RegExp]> = [
      ["bomb", Buffer.concat(Array.from({ length: 5 }, () => member)), /is larger than 256 MiB uncompressed/],
      ["cut", gzipSync('{"Records":[{"eventSource":"s3.amazonaws.com"},{"eventSo'), /it is cut short/],
      ["html", gzipSync("<html>502</html>"), /does not start with '\{'/],
    ];
    for (const [name, body, problem] of cases) {
      const key = trailKey(name);
      await put(key, body);
      try {
        const r = find(await delivery(), "delivery.cloudtrail")[0]!;
        expect(r.status, name).toBe("ERROR");
        expect(r.message).toContain(key);
        expect(r.message).toMatch(problem);
      } finally {
        await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      }
    }
  }, 120_000);
});

/** Forwards to the emulator, except requests `answer` takes over (a proxy's 403, a firewall's HTML page). */
async function interposingProxy(
  target: string,
  answer: (url: string, target: string) => { status: number; body: string; type: string } | undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer, request } = await import("node:http");
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const own = answer(req.url ?? "", String(req.headers["x-amz-target"] ?? ""));
    if (own) {
      req.resume();
      res.writeHead(own.status, { "content-type": own.type });
      res.end(own.body);
      return;
    }
    const out = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe("AWS errors in plain words, and one prefix never hides another", () => {
  it("a bare 403 names the call and the permission; an HTML page is called what it is; the other prefix is still judged", async () => {
    const hour = new Date().toISOString().slice(0, 13).replace(/[-T]/g, "/");
    await put(`audit-logs/${hour}/export.json`, fixture("cloudsmith-client-log.json-stream-timestamp"));
    const proxy = await interposingProxy(emulator.endpoint, (url, target) => {
      // A firewall's HTML page where CloudTrail's JSON belongs.
      if (target.endsWith(".GetTrailStatus"))
        return { status: 403, body: "<html>Access blocked</html>", type: "text/html" };
      if (/[?&]list-type=2/.test(url) && /prefix=client-logs/.test(url))
        return { status: 403, body: "", type: "application/xml" };
      if (/[?&]list-type=2/.test(url) && /prefix=cloudtrail/.test(url))
        return { status: 502, body: "<html><body>Bad gateway</body></html>", type: "text/html" };
      return undefined;
    });
    try {
      const facts = await collectFacts(configOf(base), {
        aws: { endpointUrl: proxy.url, credentials: TEST_CREDENTIALS },
        delivery: { maxAgeHours: 26 },
      });
      const rs = (await verifyFacts(facts, { aws: {}, delivery: { maxAgeHours: 26 } })).filter((r) =>
        r.ruleId.startsWith("delivery."),
      );
      const client = find(rs, "delivery.freshness", "client-logs")[0]!;
      expect(client.status).toBe("ERROR");
      expect(client.message).toBe(
        "could not read the objects under client-logs: AccessDenied (S3.ListObjectsV2, which needs s3:ListBucket): HTTP 403 without an error code",
      );
      // The audit prefix could be read: its own verdict, not hidden behind the client prefix's error.
      expect(find(rs, "delivery.freshness", "audit-logs")[0]).toMatchObject({ status: "PASS" });
      const trail = find(rs, "delivery.cloudtrail")[0]!;
      expect(trail.status).toBe("ERROR");
      expect(trail.message).toBe(
        "could not read the CloudTrail log files: BadGateway (S3.ListObjectsV2): HTTP 502 without an error code",
      );
      const all = await verifyFacts(facts, { aws: {}, delivery: { maxAgeHours: 26 } });
      expect(all.find((r) => r.ruleId === "trail.logging")?.message).toMatch(
        /AccessDenied \(CloudTrail.GetTrailStatus, which needs cloudtrail:GetTrailStatus\): the endpoint answered HTTP 403 with a body that is not an AWS response/,
      );
      for (const r of all) expect(r.message).not.toMatch(/UnknownError|Deserialization|\$response|\n/);
    } finally {
      await proxy.close();
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `audit-logs/${hour}/export.json` }));
    }
  });
});
