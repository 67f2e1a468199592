/**
 * Behind a proxy, as most enterprise CI runners are: with HTTPS_PROXY set, the AWS CLI sends
 * `CONNECT sts.us-east-1.amazonaws.com:443` to the proxy; so must verify and audit-log pull, and a
 * NO_PROXY host must go direct. A loopback proxy records what it is asked (CONNECT for https
 * targets, absolute-form requests for http ones) and refuses to go further (nothing outside is
 * reachable here): the proof is what it saw, and that nobody tried to resolve the host itself.
 */

import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { base } from "../helpers/configs.js";
import { FAKE_AWS_ENV } from "../helpers/fake-aws-env.js";

let dir: string;
let proxy: Server | undefined;
let seen: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-proxy-"));
  await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(base));
});

afterEach(async () => {
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  proxy = undefined;
  seen = [];
});

/** A proxy on loopback that records each request and answers 502 (nothing beyond it is reachable). */
async function startProxy(): Promise<string> {
  proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(502, { "content-type": "text/plain" }).end("no route from this proxy");
  });
  proxy.on("connect", (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
  });
  await new Promise<void>((r) => proxy!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

const AWS = FAKE_AWS_ENV;

const verify = (env: Record<string, string | undefined>, extra: string[] = []) =>
  runCli(["verify", "--output", "json", "--aws-timeout", "5", ...extra], { cwd: dir, env: { ...AWS, ...env } });

describe("the AWS SDK behind a proxy", () => {
  it("HTTPS_PROXY: the AWS calls go to the proxy as CONNECT tunnels to AWS's hosts", async () => {
    const url = await startProxy();
    const r = await verify({ HTTPS_PROXY: url });
    expect(seen).toContain("CONNECT sts.us-east-1.amazonaws.com:443");
    expect(seen.some((s) => /^CONNECT (iam|s3)\.[a-z0-9.-]*amazonaws\.com:443$/.test(s))).toBe(true);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/ENOTFOUND|getaddrinfo/);
    expect(r.code).not.toBe(0);
  }, 120_000);

  it("https_proxy in lower case, and credentials in the proxy URL never printed", async () => {
    const url = await startProxy();
    const r = await verify({ https_proxy: url.replace("http://", "http://ci-user:pr0xy-pa55word@") });
    expect(seen).toContain("CONNECT sts.us-east-1.amazonaws.com:443");
    expect(`${r.stdout}${r.stderr}`).not.toContain("pr0xy-pa55word");
  }, 120_000);

  it("HTTP_PROXY for an http endpoint: the request goes to the proxy in absolute form", async () => {
    const url = await startProxy();
    await verify({ HTTP_PROXY: url }, ["--endpoint-url", "http://aws-emulator.internal.test:4566"]);
    expect(seen.some((s) => s.startsWith("POST http://aws-emulator.internal.test:4566/"))).toBe(true);
  }, 120_000);

  it("NO_PROXY: a listed host goes direct, the proxy sees nothing", async () => {
    const url = await startProxy();
    const r = await verify({ HTTP_PROXY: url, HTTPS_PROXY: url, NO_PROXY: "localhost,.internal.test" }, [
      "--endpoint-url",
      "http://aws-emulator.internal.test:4566",
    ]);
    expect(seen).toEqual([]);
    // Direct: the name does not resolve here, and the error says so.
    expect(`${r.stdout}${r.stderr}`).toMatch(/ENOTFOUND|does not resolve|getaddrinfo/);
  }, 120_000);
});

describe("the Cloudsmith API behind a proxy", () => {
  it("HTTPS_PROXY: the pull asks the proxy for a tunnel to api.cloudsmith.io; NO_PROXY skips it", async () => {
    const url = await startProxy();
    const env = { ...AWS, CLOUDSMITH_API_KEY: "0123456789abcdef0123" };
    const r = await runCli(["audit-log", "pull", "--org", "acme", "--out", "events.jsonl"], {
      cwd: dir,
      env: { ...env, HTTPS_PROXY: url },
    });
    expect(r.code).not.toBe(0);
    expect(seen[0]).toBe("CONNECT api.cloudsmith.io:443");
    expect(r.stderr).not.toContain("0123456789abcdef0123");
    seen = [];
    await runCli(["audit-log", "pull", "--org", "acme", "--out", "events.jsonl"], {
      cwd: dir,
      env: { ...env, HTTPS_PROXY: url, NO_PROXY: "api.cloudsmith.io" },
    });
    expect(seen).toEqual([]);
  }, 120_000);
});
