/**
 * What verify reads from the bucket, at scale: 30 days of CloudTrail history validated against the
 * AWS CLI's validate-logs (side by side, same verdict), hostile exports (memory), and a 1,000,000
 * event audit-log backfill (memory).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { gzipSync } from "node:zlib";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Check } from "../lib/check.js";
import { alone, sideBySide } from "../lib/measure.js";
import { BIN, HISTORY_HOURS, ROOT, type World } from "../lib/world.js";

/** An in-region S3 round trip, added to every emulator request for the integrity comparison. */
const LATENCY_MS = 20;
/** CodeArtifact records per log file: files of about 60 KB of JSON, as a busy account writes. */
const RECORDS_PER_LOG = 100;

const awsCli = (world: World, args: string[]) =>
  execFileSync("aws", [...args, "--region", "us-east-1", "--endpoint-url", world.emulator.endpoint], {
    env: { ...process.env, ...world.env },
    stdio: ["ignore", "ignore", "inherit"],
  });

export async function integrity(world: World): Promise<Check[]> {
  const e = world.emulator.endpoint;
  const trailBucket = "bench-org-trail-logs";
  const trailArn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/bench-org-trail";
  awsCli(world, ["s3api", "create-bucket", "--bucket", trailBucket]);
  awsCli(world, [
    "cloudtrail",
    "create-trail",
    "--name",
    "bench-org-trail",
    "--s3-bucket-name",
    trailBucket,
    "--s3-key-prefix",
    "cloudtrail",
    "--is-multi-region-trail",
    "--enable-log-file-validation",
  ]);
  awsCli(world, ["cloudtrail", "start-logging", "--name", "bench-org-trail"]);
  const start = world.signing.hourNow - HISTORY_HOURS * 3600;
  const res = await fetch(`${e}/_cle/cloudtrail-history`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      bucket: trailBucket,
      prefix: "cloudtrail",
      trail: "bench-org-trail",
      start,
      hours: HISTORY_HOURS,
      logs_per_hour: 3,
      records_per_log: RECORDS_PER_LOG,
      keys: [
        {
          private: world.signing.privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
          fingerprint: world.signing.fingerprint,
          from_hour: 0,
        },
      ],
    }),
  });
  const history = (await res.json()) as { digests: string[]; logs: string[]; error?: string };
  if (!res.ok) throw new Error(`could not write the history: ${history.error}`);
  const dir = join(world.work, "integrity");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "cloudsmith-log-export.json"),
    JSON.stringify({ ...world.config, cloudtrail: { mode: "existing", trailArn } }),
  );
  await fetch(`${e}/_cle/latency?ms=${LATENCY_MS}`, { method: "POST" });
  try {
    const c = await sideBySide(
      `integrity, ${history.digests.length} digests, ${history.logs.length} log files, ${LATENCY_MS} ms per request`,
      {
        label: "verify --integrity",
        cmd: process.execPath,
        args: [
          BIN,
          "verify",
          "--endpoint-url",
          e,
          "--integrity",
          "--since",
          `${HISTORY_HOURS}h`,
          "--rule",
          "integrity",
          "--output",
          "json",
        ],
        cwd: dir,
        env: world.env,
      },
      {
        label: "aws cloudtrail validate-logs",
        cmd: "aws",
        args: [
          "cloudtrail",
          "validate-logs",
          "--trail-arn",
          trailArn,
          "--start-time",
          new Date(start * 1000).toISOString(),
        ],
        cwd: dir,
        env: { ...world.env, AWS_ENDPOINT_URL: e, AWS_DEFAULT_REGION: "us-east-1" },
      },
      {
        runs: 2,
        warmup: 0,
        same: (a, b) => {
          const ours = (JSON.parse(a.stdout).results as Array<{ status: string; message: string }>) ?? [];
          const logs = /(\d+)\/(\d+) log files valid/.exec(b.stdout);
          const digests = /(\d+)\/(\d+) digest files valid/.exec(b.stdout);
          const cliValid =
            logs?.[1] === logs?.[2] && digests?.[1] === digests?.[2] && Number(logs?.[1]) === history.logs.length;
          const oursValid = ours.length === 3 && ours.every((r) => r.status === "PASS");
          return cliValid && oursValid
            ? undefined
            : `ours ${ours.map((r) => r.status).join(",")}; the CLI: ${b.stdout.trim().split("\n").slice(-2).join(" / ")}`;
        },
      },
    );
    return [
      {
        what: `integrity of 30 days (${history.logs.length} files of ${RECORDS_PER_LOG} records), speed-up over aws cloudtrail validate-logs`,
        value: +(1 / c.ratio).toFixed(1),
        op: ">=",
        target: 3,
        unit: "x",
        detail: `${c.a.medianMs} ms vs ${c.b.medianMs} ms, ${LATENCY_MS} ms per request, both valid`,
      },
      { what: "integrity of 30 days, peak memory", value: c.a.peakMB, op: "<=", target: 200, unit: "MB", detail: "" },
    ];
  } finally {
    await fetch(`${e}/_cle/latency?ms=0`, { method: "POST" });
  }
}

export async function hostile(world: World): Promise<Check[]> {
  const e = world.emulator.endpoint;
  const bucket = "bench-delivery-hostile";
  awsCli(world, ["s3api", "create-bucket", "--bucket", bucket]);
  const s3 = new S3Client({
    endpoint: e,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const member = gzipSync(Buffer.alloc(64 * 2 ** 20, 10), { level: 9 });
  const day = new Date().toISOString().slice(0, 13).replace(/-/g, "/").replace("T", "/");
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `client-logs/${day}/export-bomb.gz`,
      Body: Buffer.concat(Array.from({ length: 16 }, () => member)),
    }),
  );
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: `audit-logs/${day}/export-big`, Body: Buffer.alloc(2 ** 30, 10) }),
  );
  s3.destroy();
  const dir = join(world.work, "hostile");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "cloudsmith-log-export.json"),
    JSON.stringify({ ...world.config, bucket: { name: bucket, existing: true }, cloudtrail: { mode: "none" } }),
  );
  const s = await alone(
    {
      label: "verify --delivery, a 1 GiB object and a 1 GiB gzip bomb",
      cmd: process.execPath,
      args: [BIN, "verify", "--endpoint-url", e, "--delivery", "--output", "json"],
      cwd: dir,
      env: world.env,
      expectCode: "any",
    },
    3,
  );
  return [
    {
      what: "verify --delivery on a 1 GiB object and a 1 GiB gzip bomb, peak memory",
      value: s.peakMB,
      op: "<=",
      target: 200,
      unit: "MB",
      detail: `${s.medianMs} ms`,
    },
  ];
}

export async function pull(): Promise<Check[]> {
  const api = spawn(process.execPath, [join(ROOT, "dist", "bench", "fake-audit-api.js"), "1000000"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  try {
    const port = await new Promise<number>((resolve) =>
      createInterface({ input: api.stdout }).on("line", (l) => {
        const m = /^READY (\d+)$/.exec(l);
        if (m) resolve(Number(m[1]));
      }),
    );
    const out = join(ROOT, "bench", ".pull-events.jsonl");
    const s = await alone(
      {
        label: "audit-log pull, 1,000,000 events (2,000 pages), pacing off",
        cmd: process.execPath,
        args: [BIN, "audit-log", "pull", "--org", "acme", "--since", "2025-12-31T00:00:00Z", "--out", out],
        env: {
          CLOUDSMITH_API_KEY: "csk-bench",
          CLOUDSMITH_API_URL: `http://127.0.0.1:${port}`,
          // A real pull asks at most once a second: these 2,000 pages would take 33 minutes. The
          // bench turns the pacing off to measure memory and throughput, not the pacing.
          CLOUDSMITH_API_MIN_INTERVAL_MS: "0",
        },
      },
      1,
    );
    execFileSync("rm", ["-f", out]);
    return [
      {
        what: "audit-log pull of 1,000,000 events, peak memory (streamed to disk)",
        value: s.peakMB,
        op: "<=",
        target: 200,
        unit: "MB",
        detail: `${s.medianMs} ms with pacing off; at the real 1 request/s, 2,000 pages take 33 min`,
      },
    ];
  } finally {
    api.stdin.end();
  }
}
