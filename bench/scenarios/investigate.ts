/**
 * `investigate` at the size the issue names: 30 days of exports (1,008,000 download lines in 720
 * hourly gzip objects) and 2,160 CloudTrail files of CodeArtifact events, against what a user does
 * today: `aws s3 sync` of the same prefixes, then `zgrep` for the package and version. Side by
 * side, alternated, both finding the same downloads; cold (nothing local yet) and warm (our
 * cache filled; the user's copy already synced, so a re-run of `aws s3 sync` lists and finds
 * nothing new, then zgrep reads the copy: both sides list S3 and scan what is local). Every request
 * to the emulator waits LATENCY_MS first, as S3 answers over a network. Ours fetches 32 objects at
 * once (`--concurrency 32`); `aws s3 sync` uses its default, 10.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Check } from "../lib/check.js";
import { sideBySide } from "../lib/measure.js";
import { BIN, type World } from "../lib/world.js";

const HOURS = 720;
/**
 * "When you make small requests (for example, less than 512 KB), where median latencies are often in
 * the range of tens of milliseconds" (AWS whitepaper, Best Practices Design Patterns: Optimizing
 * Amazon S3 Performance, "Timeouts and Retries for Latency-Sensitive Applications").
 */
const LATENCY_MS = 30;
const LINES_PER_OBJECT = 1400;
/** Downloads of the package looked for, spread over the month. */
const WANTED_EVERY = 997;

export async function investigate(world: World, runs: number): Promise<Check[]> {
  const s3 = new S3Client({
    endpoint: world.emulator.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  // A bucket of its own: the deployed example's bucket policy refuses plain HTTP, which is all the
  // emulator speaks. The trail is named apart, so its files are found where this history writes them.
  const bucket = "bench-investigate-logs";
  const trailName = "bench-investigate-trail";
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const hourNow = world.signing.hourNow;
  let wanted = 0;
  let n = 0;
  const puts: Promise<unknown>[] = [];
  for (let h = 0; h < HOURS; h++) {
    const lines: string[] = [];
    for (let i = 0; i < LINES_PER_OBJECT; i++, n++) {
      const t = new Date((hourNow - (HOURS - h) * 3600 + i * 2) * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
      const hit = n % WANTED_EVERY === 0;
      if (hit) wanted++;
      const name = hit ? "lodash" : `pkg-${n % 5000}`;
      const version = hit ? "4.17.20" : `1.${n % 40}.0`;
      const record = {
        bytes: 2150,
        datetime: t,
        format: "npm",
        ip_address: `198.51.${n % 250}.${n % 200}`,
        method: "GET",
        package: { identifier: `id${n}`, name, version },
        repository: "npm-proxy",
        request_id: `req-${n}`,
        status: 200,
        uri: `/npm/${name}/-/${name}-${version}.tgz`,
        user: { identifier: `u${n % 300}`, username: `user-${n % 300}` },
        user_agent: { raw: "npm/10.8.2 node/v20.17.0 linux x64" },
      };
      lines.push(`${t} ${JSON.stringify(record)}`);
    }
    const key = `client-logs/${new Date((hourNow - (HOURS - h) * 3600) * 1000).toISOString().slice(0, 13)}/export.gz`;
    puts.push(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(`${lines.join("\n")}\n`) })));
    if (puts.length >= 16) await Promise.all(puts.splice(0));
  }
  await Promise.all(puts);
  // CodeArtifact in the trail: 3 files an hour (2,160), 20 records each (pkg-0 ... pkg-19).
  const res = await fetch(`${world.emulator.endpoint}/_cle/cloudtrail-history`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      bucket,
      prefix: "cloudtrail",
      trail: trailName,
      start: hourNow - HOURS * 3600,
      hours: HOURS,
      logs_per_hour: 3,
      records_per_log: 20,
      keys: [
        {
          private: world.signing.privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
          fingerprint: world.signing.fingerprint,
          from_hour: 0,
        },
      ],
    }),
  });
  if (!res.ok) throw new Error(`could not write the CloudTrail history: ${await res.text()}`);

  await fetch(`${world.emulator.endpoint}/_cle/latency?ms=${LATENCY_MS}`, { method: "POST" });
  try {
    return await measure(world, runs, bucket, trailName, wanted, n);
  } finally {
    await fetch(`${world.emulator.endpoint}/_cle/latency?ms=0`, { method: "POST" });
  }
}

async function measure(
  world: World,
  runs: number,
  bucket: string,
  trailName: string,
  wanted: number,
  n: number,
): Promise<Check[]> {
  const dir = join(world.work, "investigate");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "cloudsmith-log-export.json"),
    JSON.stringify({
      ...world.config,
      bucket: { name: bucket },
      cloudtrail: { ...(world.config.cloudtrail as object), name: trailName },
    }),
  );
  const synced = join(dir, "synced");
  const cache = join(dir, "cache");
  const env = { ...world.env, AWS_ENDPOINT_URL: world.emulator.endpoint, AWS_DEFAULT_REGION: "us-east-1" };
  const ours = (extra: string[]) => ({
    label: "investigate",
    cmd: process.execPath,
    args: [
      BIN,
      "investigate",
      "--package",
      "npm:lodash@4.17.20",
      "--since",
      "31d",
      "--output",
      "ndjson",
      "--endpoint-url",
      world.emulator.endpoint,
      "--aws-timeout",
      "60",
      "--concurrency",
      "32",
      ...extra,
    ],
    cwd: dir,
    env: world.env,
  });
  // What a user does today: sync both prefixes, then grep the downloads of that version.
  const grep = `find ${synced}/client-logs -type f -exec zcat -f {} + | grep -c '"name":"lodash","version":"4.17.20"'`;
  const sync = `aws s3 sync --quiet s3://${bucket}/client-logs/ ${synced}/client-logs/ --endpoint-url ${world.emulator.endpoint} && aws s3 sync --quiet s3://${bucket}/cloudtrail/ ${synced}/cloudtrail/ --endpoint-url ${world.emulator.endpoint}`;
  const today = {
    label: "aws s3 sync + zgrep",
    cmd: "bash",
    args: ["-c", `rm -rf ${synced} && ${sync} && ${grep}`],
    cwd: dir,
    env,
  };
  const downloads = (stdout: string) =>
    stdout
      .trim()
      .split("\n")
      .filter((l) => l.includes('"source":"cloudsmith-download"')).length;
  const same = (a: { stdout: string }, b: { stdout: string }) => {
    const x = downloads(a.stdout);
    const y = Number(b.stdout.trim().split("\n").pop());
    return x === wanted && y === wanted ? undefined : `investigate ${x}, zgrep ${y}, written ${wanted}`;
  };
  const cold = await sideBySide(
    `investigate cold, ${n} download lines in ${HOURS} objects + ${HOURS * 3} CloudTrail files, ${LATENCY_MS} ms a request`,
    // A first run: an empty cache, filled as it reads (as sync fills its copy).
    {
      ...ours([]),
      cmd: "bash",
      args: ["-c", `rm -rf ${cache} && exec ${[process.execPath, ...ours(["--cache-dir", cache]).args].join(" ")}`],
    },
    today,
    { runs: Math.min(runs, 3), warmup: 0, same },
  );
  // Warm: our cache as the last cold run left it; theirs, the copy synced again (nothing new) and grepped.
  const warm = await sideBySide(
    "investigate warm (cache), against aws s3 sync (nothing new) + zgrep over the synced copy",
    { ...ours(["--cache-dir", cache]) },
    { label: "aws s3 sync (nothing new) + zgrep", cmd: "bash", args: ["-c", `${sync} && ${grep}`], cwd: dir, env },
    { runs, warmup: 1, same },
  );
  return [
    {
      what: `investigate cold over 30 days (${n} lines, ${HOURS * 4} objects, ${LATENCY_MS} ms a request), speed-up over aws s3 sync + zgrep`,
      value: Math.floor((1 / cold.ratio) * 100) / 100,
      op: ">=",
      target: 3,
      unit: "x",
      detail: `${cold.a.medianMs} ms vs ${cold.b.medianMs} ms, both found the ${wanted} downloads`,
    },
    {
      what: "investigate warm (its cache), over aws s3 sync (nothing new) + zgrep of the synced copy",
      value: +warm.ratio.toFixed(2),
      op: "<=",
      target: 1,
      unit: "x",
      detail: `${warm.a.medianMs} ms vs ${warm.b.medianMs} ms (the issue's 5 s: ${warm.a.medianMs <= 5000 ? "met" : "missed"})`,
    },
    { what: "investigate cold, peak memory", value: cold.a.peakMB, op: "<=", target: 500, unit: "MB", detail: "" },
  ];
}
