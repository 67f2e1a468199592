/**
 * Many accounts behind a real network: 200 configs in one run, a role assumed in each (as a central
 * security account runs it), every AWS call 50 ms away through a keep-alive proxy, against the
 * measured floor (bench/floor-fleet.ts): the same requests through the same proxy at the same
 * concurrency, every independent one in parallel. (The local emulator answers a few hundred
 * requests a second: a floor of latency alone, 3 round trips a config, would measure the emulator.)
 */
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Check } from "../lib/check.js";
import { sideBySide } from "../lib/measure.js";
import { BIN, configsFolder, ROOT, type World } from "../lib/world.js";

export const FLEET_LATENCY_MS = 50;
const CONFIGS = 200;
const CONCURRENCY = 8;

export async function fleet(world: World, runs: number): Promise<Check[]> {
  const e = world.emulator.endpoint;
  const auditor = "BenchAuditor";
  execFileSync(
    "aws",
    [
      "iam",
      "create-role",
      "--role-name",
      auditor,
      "--assume-role-policy-document",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${world.config.accountId}:root` },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      "--endpoint-url",
      e,
      "--region",
      "us-east-1",
    ],
    { env: { ...process.env, ...world.env }, stdio: "ignore" },
  );
  const proxy = spawn(
    process.execPath,
    [join(ROOT, "dist", "bench", "latency-proxy.js"), e, String(FLEET_LATENCY_MS)],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: proxy.stdout }).once("line", (l) => resolve(Number(l)));
      proxy.once("exit", () => reject(new Error("the latency proxy did not start")));
    });
    const via = `http://127.0.0.1:${port}`;
    const dir = configsFolder(world, "configs-fleet", CONFIGS);
    const roleArn = `arn:aws:iam::{accountId}:role/${auditor}`;
    const writer = String(world.config.roleName ?? "CloudsmithLogsWriter");
    const trail = JSON.parse(
      execFileSync("aws", ["cloudtrail", "describe-trails", "--endpoint-url", e, "--region", "us-east-1"], {
        env: { ...process.env, ...world.env },
        encoding: "utf8",
      }),
    ).trailList[0].Name as string;
    const c = await sideBySide(
      `fleet, ${CONFIGS} configs, ${FLEET_LATENCY_MS} ms per AWS call`,
      {
        label: `verify, ${CONFIGS} configs, --assume-role-arn`,
        cmd: process.execPath,
        args: [BIN, "verify", "--endpoint-url", via, "-c", dir, "--assume-role-arn", roleArn, "--output", "json"],
        cwd: world.work,
        env: world.env,
        expectCode: "any",
      },
      {
        label: "the floor: the same reads, all in parallel, nothing evaluated",
        cmd: process.execPath,
        args: [
          join(ROOT, "dist", "bench", "floor-fleet.js"),
          via,
          String(CONFIGS),
          String(CONCURRENCY),
          roleArn.replace("{accountId}", world.config.accountId),
          writer,
          world.config.bucket.name,
          trail,
        ],
        cwd: world.work,
        env: world.env,
      },
      {
        runs: Math.min(runs, 3),
        same: (a, b) => {
          const configs = JSON.parse(a.stdout).configs as Array<{ results: Array<{ ruleId: string; status: string }> }>;
          const [count, requests] = b.stdout.trim().split(" ").map(Number);
          const allRead = configs.every(
            (x) => x.results.find((r) => r.ruleId === "permissions.required")?.status === "PASS",
          );
          // 14 requests a config: AssumeRole, 12 reads and the one inline policy they list.
          return configs.length === count && requests === count! * 14 && allRead
            ? undefined
            : `verify saw ${configs.length} configs (every role read: ${allRead}), the floor ${count} with ${requests} requests`;
        },
      },
    );
    return [
      {
        what: `verify of ${CONFIGS} configs with a role assumed in each, ${FLEET_LATENCY_MS} ms per call, over the floor (the same reads, nothing evaluated)`,
        value: c.ratio,
        op: "<=",
        target: 1.5,
        unit: "x",
        detail: `${c.a.medianMs} ms vs ${c.b.medianMs} ms`,
      },
      {
        what: `verify of ${CONFIGS} configs, peak memory`,
        value: c.a.peakMB,
        op: "<=",
        target: 300,
        unit: "MB",
        detail: "",
      },
    ];
  } finally {
    proxy.stdin.end();
    proxy.kill();
  }
}
