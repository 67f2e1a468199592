/**
 * verify against an endpoint that is not AWS, or an AWS that misbehaves: a proxy's HTML page, an
 * empty 200, a body that drips a byte at a time, a body without end. Every read is ERROR (never
 * PASS), the run ends by itself within its bounds, and memory stays under 200 MB.
 */

import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCliMeasured } from "../helpers/cli.js";
import { base } from "../helpers/configs.js";
import { FAKE_AWS_ENV } from "../helpers/fake-aws-env.js";

let dir: string;
let server: Server | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-hostile-aws-"));
  await writeFile(join(dir, "config.json"), JSON.stringify(base));
});

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ENV = FAKE_AWS_ENV;

interface JsonReport {
  results: Array<{ ruleId: string; status: string; message: string }>;
}

async function verifyAt(endpoint: string, extra: string[] = []) {
  const r = await runCliMeasured(
    ["verify", "-c", "config.json", "--endpoint-url", endpoint, "--output", "json", ...extra],
    { cwd: dir, env: ENV },
  );
  expect(r.stderr).not.toMatch(/internal error/);
  const report = JSON.parse(r.stdout) as JsonReport;
  const status = (id: string) => report.results.find((x) => x.ruleId === id);
  return { ...r, report, status };
}

describe("an endpoint that is not AWS", () => {
  it("a proxy's HTML page with 200: bucket.exists is ERROR, nothing PASSes", async () => {
    const endpoint = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>Welcome to the corporate proxy</body></html>");
    });
    const r = await verifyAt(endpoint);
    expect(r.code).toBe(1);
    expect(r.status("bucket.exists")).toMatchObject({ status: "ERROR" });
    expect(r.status("bucket.exists")!.message).toMatch(/carries no AWS request id: not from AWS/);
    expect(r.report.results.filter((x) => x.status === "PASS")).toEqual([]);
  }, 120_000);

  it("an empty 200 with no headers: ERROR, never PASS", async () => {
    const endpoint = await serve((_req, res) => {
      res.writeHead(200);
      res.end();
    });
    const r = await verifyAt(endpoint);
    expect(r.code).toBe(1);
    expect(r.status("bucket.exists")!.status).toBe("ERROR");
    expect(r.report.results.filter((x) => x.status === "PASS")).toEqual([]);
  }, 120_000);
});

describe("an AWS that misbehaves", () => {
  it("headers, then a body that drips one byte a second: every read ends at its deadline, ERROR", async () => {
    const endpoint = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/xml", "x-amzn-requestid": "drip" });
      const timer = setInterval(() => res.write(" "), 1000);
      res.on("close", () => clearInterval(timer));
    });
    // --aws-timeout 2: each attempt's deadline covers headers and the whole body.
    const r = await verifyAt(endpoint, ["--aws-timeout", "2"]);
    expect(r.code).toBe(1);
    expect(r.status("bucket.exists")!.status).toBe("ERROR");
    expect(r.report.results.map((x) => x.message).join("\n")).toMatch(/did not complete within 2 s/);
    expect(r.report.results.filter((x) => x.status === "PASS")).toEqual([]);
  }, 180_000);

  it("a body without end (a 300 MB 'policy'): read no further than 2 MiB, ERROR, memory under 200 MB", async () => {
    const endpoint = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/xml", "x-amzn-requestid": "endless" });
      const chunk = Buffer.alloc(2 ** 20, 0x41);
      let sent = 0;
      const more = () => {
        while (sent < 300 && res.write(chunk)) sent++;
        if (sent < 300) res.once("drain", more);
        else res.end();
      };
      res.on("close", () => (sent = 300));
      more();
    });
    const r = await verifyAt(endpoint);
    expect(r.code).toBe(1);
    expect(r.report.results.map((x) => x.message).join("\n")).toMatch(
      /is larger than 2 MiB, more than any AWS answer|answers being read at once passed 16 MiB/,
    );
    expect(r.status("bucket.private")!.status).toBe("ERROR");
    // HeadBucket has no body: its 200 with a request id is what AWS says of a bucket that exists.
    expect(r.report.results.filter((x) => x.status === "PASS").map((x) => x.ruleId)).toEqual(["bucket.exists"]);
    expect(r.maxRssMiB).toBeLessThan(200);
  }, 180_000);
});
