/**
 * The conventions CI jobs and their users rely on, each as a user would notice it: DEBUG set for
 * other tools leaves this one quiet; -v prints the version; --since means the same in every
 * command; the config from CLOUDSMITH_LOG_EXPORT_CONFIG; report targets checked before any AWS
 * call; a User-Agent on Cloudsmith API requests; `request` never claims the role exists.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { configFieldLocator } from "../../src/verify/locate.js";
import { runCli } from "../helpers/cli.js";
import { base } from "../helpers/configs.js";

let dir: string;
const servers: Server[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-conventions-"));
  await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(base, null, 2));
  expect((await runCli(["synth"], { cwd: dir })).code).toBe(0);
});
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A loopback server that answers `[]` and records each request's path, query and headers. */
async function recorder(): Promise<{ url: string; seen: Array<{ url: string; headers: IncomingHttpHeaders }> }> {
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "r" }).end("[]");
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe("debug output", () => {
  it.each(["0", "false", "express:*", "1"])("DEBUG=%s (set for other tools) prints no debug line", async (value) => {
    const r = await runCli(["verify", "--static"], { cwd: dir, env: { DEBUG: value } });
    expect(r.stderr).not.toMatch(/^debug /m);
  });

  it("CLOUDSMITH_LOG_EXPORT_DEBUG=1 and --debug do", async () => {
    const byEnv = await runCli(["verify", "--static"], { cwd: dir, env: { CLOUDSMITH_LOG_EXPORT_DEBUG: "1" } });
    expect(byEnv.stderr).toMatch(/^debug /m);
    const byFlag = await runCli(["--debug", "verify", "--static"], { cwd: dir });
    expect(byFlag.stderr).toMatch(/^debug /m);
  });
});

describe("flags as other CLIs spell them", () => {
  it("-v, --version and the old -V print the version", async () => {
    for (const flag of ["-v", "--version", "-V"]) {
      const r = await runCli([flag]);
      expect(r.code, flag).toBe(0);
      expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it("--since takes a duration or an RFC 3339 time in verify and audit-log pull alike", async () => {
    const future = await runCli(["verify", "--integrity", "--since", "2999-01-01T00:00:00Z"], { cwd: dir });
    expect(future.code).toBe(2);
    expect(future.stderr).toContain("--since: 2999-01-01T00:00:00Z is in the future");
    const vague = await runCli(["verify", "--integrity", "--since", "yesterday"], { cwd: dir });
    expect(vague.code).toBe(2);
    expect(vague.stderr).toMatch(/--since: 'yesterday' is neither a duration like 24h or 30d nor an RFC 3339 time/);
    const api = await recorder();
    const env = { CLOUDSMITH_API_KEY: "0123456789abcdef", CLOUDSMITH_API_URL: api.url };
    for (const since of ["30d", "2026-01-01T00:00:00Z"]) {
      const r = await runCli(["audit-log", "pull", "--org", "acme", "--since", since, "--out", "e.jsonl"], {
        cwd: dir,
        env,
      });
      expect(r.code, r.stderr).toBe(0);
    }
    const queries = api.seen.map((s) => new URL(s.url, api.url).searchParams.get("query"));
    const thirtyDaysAgo = Date.now() - 30 * 86_400_000;
    const first = Date.parse(/event_at:>"([^"]+)"/.exec(queries[0] ?? "")![1]!);
    expect(Math.abs(first - thirtyDaysAgo)).toBeLessThan(10 * 60_000);
    expect(queries[1]).toBe('event_at:>"2025-12-31T23:59:59Z"');
  });
});

describe("where the config and the reports are", () => {
  it("CLOUDSMITH_LOG_EXPORT_CONFIG names the config when no --config is given", async () => {
    const sub = join(dir, "configs");
    await mkdir(sub, { recursive: true });
    await writeFile(join(sub, "prod.json"), JSON.stringify({ ...base, bucket: { name: "acme-prod-logs" } }));
    const r = await runCli(["request"], { cwd: dir, env: { CLOUDSMITH_LOG_EXPORT_CONFIG: join(sub, "prod.json") } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("acme-prod-logs");
  });

  it("a report that cannot be written is exit 2 naming it, before any AWS call", async () => {
    const aws = await recorder();
    await mkdir(join(dir, "a-folder"), { recursive: true });
    const r = await runCli(["verify", "--endpoint-url", aws.url, "--report", "sarif=a-folder"], {
      cwd: dir,
      env: { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y", AWS_REGION: "us-east-1" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot write a-folder: is a directory, not a file");
    expect(aws.seen).toEqual([]);
  });

  it("a bucket rule points at the top-level bucket, not at a backend block's bucket written first", async () => {
    const file = join(dir, "backend-first.json");
    const { bucket, ...rest } = base;
    const text = JSON.stringify(
      {
        backend: { type: "s3", bucket: "acme-tf-state", key: "k", region: "us-east-1" },
        ...rest,
        bucket,
      },
      null,
      2,
    );
    await writeFile(file, text);
    const locate = await configFieldLocator(file, { bucket: ["bucket"] });
    const at = locate({ ruleId: "bucket.exists" } as never)!;
    expect(text.split("\n")[at.line - 1]).toMatch(/^ {2}"bucket": \{/);
    expect(text.split("\n")[at.line]).toContain("cloudsmith-acme-logs");
  });
});

describe("the Cloudsmith API and the hand-off", () => {
  it("API requests carry a User-Agent naming the tool and its version", async () => {
    const api = await recorder();
    await runCli(["audit-log", "pull", "--org", "acme", "--out", "e.jsonl"], {
      cwd: dir,
      env: { CLOUDSMITH_API_KEY: "0123456789abcdef", CLOUDSMITH_API_URL: api.url },
    });
    expect(api.seen[0]!.headers["user-agent"]).toMatch(
      /^cloudsmith-log-export\/\d+\.\d+\.\d+ \(\+https:\/\/.+\) node\//,
    );
  });

  it("request names the role to assume and says to send it after apply; never that it is ready", async () => {
    const r = await runCli(["request"], { cwd: dir });
    expect(r.stdout).toMatch(/The role to assume: arn:aws:iam::123456789012:role\//);
    expect(r.stdout).not.toMatch(/ready/i);
    expect(r.stderr).toContain("send this once `terraform apply` has created the role");
  });
});
