/**
 * The Cloudsmith API, hostile: an error page that echoes the request's headers (the API key) back,
 * a key that no HTTP header can carry, pages far larger than asked for, ids of 60 KiB, events that
 * carry terminal controls. No secret in any output, one line and exit 2 for bad input, bounded
 * memory, and nothing a terminal acts on.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli, runCliMeasured } from "../helpers/cli.js";
import { base } from "../helpers/configs.js";
import { API_KEY } from "../helpers/fake-cloudsmith.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Echoes the request line and headers back in the body, as some error pages and debug proxies do. */
const echoing =
  (status: number): RequestListener =>
  (req, res) => {
    const headers = Object.entries(req.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n");
    res.writeHead(status, { "content-type": "text/plain" });
    // Mid-text, URL-encoded and JSON-escaped: redaction must find it wherever it stands.
    res.end(
      `${req.method} ${req.url}\n${headers}\nkey=${encodeURIComponent(API_KEY)} json={"k":${JSON.stringify(API_KEY)}}`,
    );
  };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-hostile-api-"));
  await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(base));
});

const pull = (url: string, key = API_KEY, extra: string[] = []) =>
  runCliMeasured(["audit-log", "pull", "--org", "acme", "--out", "events.jsonl", ...extra], {
    cwd: dir,
    env: { CLOUDSMITH_API_KEY: key, CLOUDSMITH_API_URL: url, CLOUDSMITH_API_MIN_INTERVAL_MS: "0" },
  });

describe("the API key never reaches an output", () => {
  for (const status of [422, 418]) {
    it(`an error page (${status}) that echoes the request headers: the key is redacted on stderr`, async () => {
      const r = await pull(await serve(echoing(status)));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("x-api-key: [redacted]");
      expect(r.stderr).not.toContain(API_KEY);
      expect(r.stderr).not.toContain(encodeURIComponent(API_KEY));
    });
  }

  it("verify --cloudsmith-org: the key is redacted from the JSON report and the screen", async () => {
    const url = await serve(echoing(422));
    for (const output of ["json", "text", "sarif", "junit"]) {
      const r = await runCli(
        [
          "verify",
          "--cloudsmith-org",
          "acme",
          "--cloudsmith-api-url",
          url,
          "--endpoint-url",
          "http://127.0.0.1:9",
          "--aws-timeout",
          "1",
          "--output",
          output,
        ],
        {
          cwd: dir,
          env: {
            CLOUDSMITH_API_KEY: API_KEY,
            AWS_ACCESS_KEY_ID: "x",
            AWS_SECRET_ACCESS_KEY: "x",
            AWS_REGION: "us-east-1",
            AWS_EC2_METADATA_DISABLED: "true",
          },
        },
      );
      expect(r.stdout).toContain("[redacted]");
      expect(`${r.stdout}${r.stderr}`).not.toContain(API_KEY);
    }
  }, 120_000);

  it("a key with characters outside Latin-1 (a curly quote from a document): exit 2 at once, unprinted", async () => {
    const url = await serve((_q, res) => res.writeHead(200, { "content-type": "application/json" }).end("[]"));
    const key = "csk-0123\u2019456789abcdef";
    const r = await pull(url, key);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CLOUDSMITH_API_KEY has a character that an HTTP header cannot carry \(character 9/);
    expect(r.stderr).not.toContain("csk-0123");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("pages the API would never send", () => {
  it("560,000 events on a page of 500: stopped with a message, memory under 200 MB", async () => {
    const body = `[${Array.from({ length: 560_000 }, (_, i) => `{"uuid":"${i}"}`).join(",")}]`;
    const url = await serve((_q, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
    const r = await pull(url);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/returned 560000 events for a page of 500|is larger than 8 MiB/);
    expect(r.maxRssMiB).toBeLessThan(200);
  }, 60_000);

  it("events with 60 KiB ids: stopped on the first page, memory under 200 MB", async () => {
    const id = "x".repeat(60 * 1024);
    const page = JSON.stringify(
      Array.from({ length: 100 }, (_, i) => ({ uuid: `${id}${i}`, event_at: "2026-01-01T00:00:00Z" })),
    );
    let served = 0;
    const url = await serve((_q, res) => {
      served++;
      res.writeHead(200, { "content-type": "application/json", "x-pagination-pagetotal": "1000" }).end(page);
    });
    const r = await pull(url, API_KEY, ["--page-size", "100"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/returned an event id of 61\d\d\d characters \(a UUID has 36\)/);
    expect(served).toBe(1);
    expect(r.maxRssMiB).toBeLessThan(200);
  }, 60_000);
});

describe("events on a terminal", () => {
  it("C1 controls, bidi overrides and line separators in events are written as \\u escapes", async () => {
    const events = [
      {
        uuid: "6f1c1f38-6d3e-4e65-9a77-6f0c2b1d0001",
        event_at: "2026-01-01T00:00:00Z",
        actor: "evil\u009b31m\u202egnp.exe\u2028",
      },
    ];
    const url = await serve((_q, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(events)),
    );
    const r = await runCli(["audit-log", "pull", "--org", "acme", "--out", "-"], {
      cwd: dir,
      env: { CLOUDSMITH_API_KEY: API_KEY, CLOUDSMITH_API_URL: url, CLOUDSMITH_API_MIN_INTERVAL_MS: "0" },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2028]/);
    expect(r.stdout).toContain("evil\\u009b31m\\u202egnp.exe\\u2028");
    // The same JSON to any parser.
    expect(JSON.parse(r.stdout.trim()).actor).toBe(events[0]!.actor);
  });
});
