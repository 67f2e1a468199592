/**
 * `investigate --engine local` on the emulator, against answers an independent reader in this
 * test computes from the data it wrote: the vendor's sample records, varied (several packages,
 * versions, users and days), as exports in all four formats (gzip and plain, a CSV whose columns
 * are reordered, a malformed line), the audit log, and a CloudTrail history of CodeArtifact
 * events in the account layout and in an organization trail's layout.
 */
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorClients } from "../helpers/aws-sdk.js";
import { runCli } from "../helpers/cli.js";
import { base } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";

const BUCKET = "cloudsmith-acme-logs";
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const SAMPLE = JSON.parse(fixture("cloudsmith-client-log.json-stream").split("\n")[0]!);
const TRAIL_SAMPLE = JSON.parse(fixture("cloudtrail-codeartifact.json")).Records[0];

let emulator: Emulator;
let s3: S3Client;
let dir: string;
const now = new Date();
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Downloads the test writes, and so knows: [package, version, user, ip, hours ago]. */
const DOWNLOADS: Array<[string, string, string, string, number]> = [
  ["lodash", "4.17.20", "alice", "198.51.100.7", 30],
  ["lodash", "4.17.21", "bob", "198.51.100.8", 20],
  ["lodash", "4.17.20", "ci-bot", "198.51.100.9", 10],
  ["left-pad", "1.3.0", "alice", "198.51.100.7", 5],
  ["lodash", "4.17.20", "mallory", "203.0.113.66", 24 * 40], // outside a 30-day window
];

const downloadRecord = ([name, version, user, ip, h]: (typeof DOWNLOADS)[number], i: number) => ({
  ...SAMPLE,
  datetime: iso(hoursAgo(h)).replace("Z", "+00:00"),
  format: "npm",
  package: { ...SAMPLE.package, name, version },
  user: { identifier: `id-${user}`, username: user },
  ip_address: ip,
  request_id: `req-${i}`,
  uri: `/npm/${name}/-/${name}-${version}.tgz`,
});

/** The independent reader: the rows a correct investigation of `name@version` returns, by time. */
function expected(name: string, version: string | undefined, sinceHours: number) {
  return DOWNLOADS.map((d, i) => ({ d, i }))
    .filter(({ d }) => d[0] === name && (version === undefined || d[1] === version) && d[4] <= sinceHours)
    .sort((a, b) => b.d[4] - a.d[4])
    .map(({ d }) => ({ version: d[1], principal: `user:${d[2]}`, ip: d[3] }));
}

async function put(key: string, body: string | Buffer, gzip = false) {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: gzip ? gzipSync(body) : body }));
}

const investigate = (config: string, args: string[]) =>
  runCli(
    ["investigate", "-c", config, "--endpoint-url", emulator.endpoint, "--cache-dir", join(dir, "cache"), ...args],
    {
      cwd: dir,
      env: { ...emulator.env },
    },
  );

beforeAll(async () => {
  emulator = await startEmulator();
  ({ s3 } = emulatorClients(emulator.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  dir = await mkdtemp(join(tmpdir(), "cle-investigate-"));
  const records = DOWNLOADS.map(downloadRecord);
  const jsonLines = records.map((r) => JSON.stringify(r));
  // JSON Stream + Timestamp, gzip, with a malformed line in the middle.
  await put(
    "client-logs/2026/export-0001.gz",
    [
      ...jsonLines.slice(0, 2).map((l, i) => `${records[i]!.datetime} ${l}`),
      "not a log line",
      ...jsonLines.slice(2).map((l, i) => `${records[i + 2]!.datetime} ${l}`),
    ].join("\n"),
    true,
  );
  // Plain JSON Stream.
  await put("json-stream/export-0001", `${jsonLines.join("\n")}\n`);
  // CSV, columns in another order than the sample's header (the header says which is which).
  const header = ["user", "datetime", "uri", "status", "ip_address", "request_id", "format", "repository"];
  const csv = [
    header.join(","),
    ...records.map((r) =>
      [r.user.identifier, r.datetime, r.uri, r.status, r.ip_address, r.request_id, r.format, r.repository].join(","),
    ),
  ].join("\n");
  await put("csv/export-0001.csv.gz", csv, true);
  // Apache style, plain: the package is in the URI, the principal is the token.
  const months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const apacheTime = (d: Date) =>
    `${String(d.getUTCDate()).padStart(2, "0")}/${months.slice(d.getUTCMonth() * 3, d.getUTCMonth() * 3 + 3)}/${d.getUTCFullYear()}:${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}:${String(d.getUTCSeconds()).padStart(2, "0")} +0000`;
  await put(
    "apache/export-0001.log",
    `${DOWNLOADS.map(([name, version, user, ip, h]) => `${ip} - t-${user} [${apacheTime(hoursAgo(h))}] "GET /npm/${name}/-/${name}-${version}.tgz " 200 2247 - "npm/10.8.2 node/v20" eula:none`).join("\n")}\n`,
  );
  // Audit log (JSON Stream + Timestamp): a package event for lodash.
  const audit = {
    ...JSON.parse(fixture("cloudsmith-audit-log-page.json"))[0],
    event: "Package.Delete",
    event_at: iso(hoursAgo(3)),
    object: "lodash",
    object_kind: "Package",
    actor: "admin",
  };
  await put("audit-logs/2026/audit-0001.gz", `${audit.event_at} ${JSON.stringify(audit)}\n`, true);
  // CodeArtifact in the trail: the account layout.
  const ca = (h: number, version: string, arn: string, n: number) => ({
    ...TRAIL_SAMPLE,
    eventTime: iso(hoursAgo(h)),
    eventName: "ReadFromRepository",
    readOnly: true,
    eventID: `ev-${n}`,
    userIdentity: { ...TRAIL_SAMPLE.userIdentity, arn },
    requestParameters: {
      domainName: "acme",
      domainOwner: "123456789012",
      repositoryName: "npm-store",
      packageFormat: "npm",
      packageName: "lodash",
      packageVersion: version,
    },
  });
  const day = (d: Date) =>
    `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`;
  const t = hoursAgo(2);
  await put(
    `cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/${day(t)}/123456789012_CloudTrail_us-east-1_x.json.gz`,
    JSON.stringify({
      Records: [
        ca(2, "4.17.20", "arn:aws:sts::123456789012:assumed-role/Builder/ci", 1),
        { ...TRAIL_SAMPLE, eventTime: iso(t) }, // GetAuthorizationToken: not a package request
      ],
    }),
    true,
  );
  for (const [name, cfg] of Object.entries({
    "timestamp.json": { ...base, format: "json-stream-timestamp" },
    "stream.json": { ...base, format: "json-stream", logTypes: { client: { prefix: "json-stream" } } },
    "csv.json": { ...base, format: "csv", logTypes: { client: { prefix: "csv" } }, cloudtrail: { mode: "none" } },
    "apache.json": {
      ...base,
      format: "apache",
      logTypes: { client: { prefix: "apache" } },
      cloudtrail: { mode: "none" },
    },
  }))
    await writeFile(join(dir, name), JSON.stringify(cfg));
}, 120_000);
afterAll(() => emulator?.stop());

interface OutRow {
  source: string;
  time: string;
  package: { name: string; version: string | null };
  principal: string | null;
  ip: string | null;
  object: { key: string; line?: number; eventId?: string };
  integrity: string | null;
}
const ndjson = (stdout: string): OutRow[] =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe("investigate --engine local", () => {
  it("every source, exactly the rows the independent reader finds, with where each came from", async () => {
    const r = await investigate("timestamp.json", ["--package", "npm:lodash@4.17.20", "--output", "ndjson"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = ndjson(r.stdout);
    const downloads = rows.filter((x) => x.source === "cloudsmith-download");
    expect(downloads.map((x) => ({ version: x.package.version, principal: x.principal, ip: x.ip }))).toEqual(
      expected("lodash", "4.17.20", 24 * 30),
    );
    // The malformed line is line 3: the rows after it keep their own line numbers.
    expect(downloads.map((x) => x.object.line)).toEqual([1, 4]);
    expect(downloads.every((x) => x.object.key === "client-logs/2026/export-0001.gz")).toBe(true);
    expect(r.stderr).toMatch(
      /warning: cloudsmith-download: 1 line\(s\) could not be read, first client-logs\/2026\/export-0001.gz line 3/,
    );
    const ca = rows.filter((x) => x.source === "codeartifact");
    expect(ca).toHaveLength(1);
    expect(ca[0]).toMatchObject({
      principal: "arn:aws:sts::123456789012:assumed-role/Builder/ci",
      package: { name: "lodash", version: "4.17.20" },
      object: { eventId: "ev-1" },
      // This bucket holds no digests: the file is vouched for by none.
      integrity: "not-covered",
    });
    const audit = rows.filter((x) => x.source === "cloudsmith-audit");
    expect(audit.map((x) => x.principal)).toEqual(["user:admin"]);
    // Ordered by time.
    expect(rows.map((x) => x.time)).toEqual([...rows.map((x) => x.time)].sort());
  }, 120_000);

  it("any version, a semver range, a glob, and the principal filter", async () => {
    const any = ndjson((await investigate("stream.json", ["--package", "npm:lodash", "--output", "ndjson"])).stdout);
    expect(any.filter((x) => x.source === "cloudsmith-download").map((x) => x.package.version)).toEqual(
      expected("lodash", undefined, 24 * 30).map((x) => x.version),
    );
    const range = ndjson(
      (await investigate("stream.json", ["--package", "npm:lodash@>=4.17.21", "--output", "ndjson"])).stdout,
    );
    expect(range.filter((x) => x.source === "cloudsmith-download").map((x) => x.principal)).toEqual(["user:bob"]);
    const glob = ndjson(
      (await investigate("stream.json", ["--package", "npm:lodash@4.17.*", "--user", "alice", "--output", "ndjson"]))
        .stdout,
    );
    expect(glob.map((x) => x.principal)).toEqual(["user:alice"]);
    // The window: 40 days back finds mallory's download too.
    const wide = ndjson(
      (await investigate("stream.json", ["--package", "npm:lodash@4.17.20", "--since", "45d", "--output", "ndjson"]))
        .stdout,
    );
    expect(wide.filter((x) => x.source === "cloudsmith-download").map((x) => x.principal)).toContain("user:mallory");
  }, 120_000);

  it("a window ending within the second a download was logged in still holds it (times compare at one precision)", async () => {
    // ci-bot's download is logged to the second (T); a run that starts 0.4 s into that second
    // (`--to` T.400Z) must find it. Compared as text at different precisions, "T08Z" sorts after
    // "T08.400Z" and the download was lost.
    const t = hoursAgo(10);
    const at = (ms: number) => new Date(Math.floor(t.getTime() / 1000) * 1000 + ms).toISOString();
    const r = await investigate("stream.json", [
      "--package",
      "npm:lodash@4.17.20",
      "--from",
      at(-3_600_000),
      "--to",
      at(400),
      "--output",
      "ndjson",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(ndjson(r.stdout).map((x) => x.principal)).toContain("user:ci-bot");
  }, 120_000);

  it("a CSV whose columns are reordered: matched by its header, the package found in the URI", async () => {
    const r = await investigate("csv.json", ["--package", "npm:lodash@4.17.20", "--output", "ndjson"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = ndjson(r.stdout);
    expect(rows.map((x) => x.ip)).toEqual(expected("lodash", "4.17.20", 24 * 30).map((x) => x.ip));
    expect(rows.every((x) => x.object.key === "csv/export-0001.csv.gz")).toBe(true);
  }, 120_000);

  it("Apache style: the package found in the URI, the time read from the log's own format, the token as principal", async () => {
    const r = await investigate("apache.json", ["--package", "npm:lodash@4.17.20", "--output", "ndjson"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = ndjson(r.stdout);
    expect(rows.map((x) => x.principal)).toEqual(
      expected("lodash", "4.17.20", 24 * 30).map((x) => x.principal.replace("user:", "token:t-")),
    );
    expect(rows.map((x) => Date.parse(x.time))).toEqual(
      DOWNLOADS.filter((d) => d[0] === "lodash" && d[1] === "4.17.20" && d[4] <= 24 * 30)
        .map((d) => Math.floor(hoursAgo(d[4]).getTime() / 1000) * 1000)
        .sort(),
    );
  }, 120_000);

  it("the table: a header, one row a request, within 80 columns, long values cut and escaped", async () => {
    const r = await investigate("timestamp.json", ["--package", "npm:lodash@4.17.20"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^time \(UTC\) +src +version +who +ip$/);
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    expect(lines.filter((l) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} /.test(l))).toHaveLength(4);
    expect(r.stdout).toMatch(/^4 request\(s\) for npm:lodash@4.17.20/m);
    expect(r.stdout).toMatch(/^ {2}cs = cloudsmith-download: 2$/m);
  }, 120_000);

  it("none found is exit 0, said on stderr; JSON has the summary; a re-run reads the cache", async () => {
    const none = await investigate("stream.json", ["--package", "npm:no-such-package", "--output", "ndjson"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(/no requests for npm:no-such-package/);
    const json = JSON.parse(
      (await investigate("timestamp.json", ["--package", "npm:lodash@4.17.20", "--output", "json"])).stdout,
    );
    expect(json.summary.bySource).toEqual({ "cloudsmith-download": 2, codeartifact: 1, "cloudsmith-audit": 1 });
    expect(json.summary.byPrincipal["user:alice"]).toBe(1);
    expect(json.sources.find((s: { source: string }) => s.source === "cloudsmith-download").fromCache).toBe(1);
    // --no-cache: the cached copy is not read, nothing is left in the temporary folder.
    const tmp = join(dir, "tmp");
    await mkdir(tmp, { recursive: true });
    const fresh = await runCli(
      ["investigate", "-c", "timestamp.json", "--endpoint-url", emulator.endpoint, "--no-cache"].concat(
        "--package npm:lodash@4.17.20 --output json".split(" "),
      ),
      { cwd: dir, env: { ...emulator.env, TMPDIR: tmp } },
    );
    expect(fresh.code, fresh.stderr).toBe(0);
    const uncached = JSON.parse(fresh.stdout);
    expect(uncached.summary.bySource).toEqual(json.summary.bySource);
    expect(uncached.sources.map((s: { fromCache: number }) => s.fromCache)).toEqual([0, 0, 0]);
    expect(await readdir(tmp)).toEqual([]);
  }, 120_000);

  it("DuckDB installed but failing to load: exit 2 saying so, never 'no requests'", async () => {
    const hook = fileURLToPath(new URL("../helpers/duckdb-fails-to-load.mjs", import.meta.url));
    const r = await runCli(
      ["investigate", "-c", "timestamp.json", "--endpoint-url", emulator.endpoint, "--no-cache"].concat(
        "--package npm:lodash@4.17.20 --output ndjson".split(" "),
      ),
      { cwd: dir, env: { ...emulator.env, NODE_OPTIONS: `--import=${hook}` } },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/investigate needs DuckDB/);
    expect(r.stderr).not.toMatch(/no requests for/);
  }, 120_000);

  it("a source that cannot be read is exit 1, the others still answer; usage errors are exit 2", async () => {
    await writeFile(join(dir, "missing.json"), JSON.stringify({ ...base, bucket: { name: "no-such-bucket-here" } }));
    const r = await investigate("missing.json", ["--package", "npm:lodash", "--output", "ndjson"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cloudsmith-download \(s3:\/\/no-such-bucket-here\/client-logs\/\)/m);
    const bad = await investigate("stream.json", ["--package", "lodash"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--package: 'lodash' is not <format>:<name>\[@<version>\]/);
  }, 120_000);
});
