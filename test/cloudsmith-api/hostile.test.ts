/**
 * Hostile answers and faults for the Cloudsmith API client and `audit-log pull`,
 * from servers on loopback: redirects to another host, plain http, endless
 * pages, huge and slow bodies, escape sequences, poisoned and concurrent state,
 * planted links. Each case failed before the hardening it tests.
 */
import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuditLogClient } from "../../src/cloudsmith-api/client.js";
import { pullAuditLog } from "../../src/cloudsmith-api/pull.js";
import { runCli } from "../helpers/cli.js";
import { API_KEY, event, startFakeApi } from "../helpers/fake-cloudsmith.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(
  handler: RequestListener,
): Promise<{ url: string; requests: Array<{ url: string; key?: string }> }> {
  const requests: Array<{ url: string; key?: string }> = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? "", key: req.headers["x-api-key"] as string | undefined });
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests };
}

const fast = { minIntervalMs: 0, maxRetries: 0, sleep: async () => undefined };
const client = (baseUrl: string, extra: object = {}) =>
  new AuditLogClient({ apiKey: API_KEY, baseUrl, ...fast, ...extra });

describe("secrets stay with the API's origin", () => {
  it.each([301, 302, 303, 307, 308])(
    "a %i to another host is not followed, and the key never reaches it",
    async (status) => {
      const other = await serve((_q, res) => res.writeHead(200, { "content-type": "application/json" }).end("[]"));
      const api = await serve((_q, res) => res.writeHead(status, { location: `${other.url}/audit-log/acme/` }).end());
      await expect(client(api.url).fetchPage("acme", { page: 1, pageSize: 1 })).rejects.toThrow(
        new RegExp(`redirected \\(${status}\\) to ${other.url.slice(7)}: not followed, so the API key stays with`),
      );
      expect(other.requests).toEqual([]);
    },
  );

  it("a redirect within the same origin is followed", async () => {
    const api = await serve((req, res) =>
      req.url?.startsWith("/v2/")
        ? res.writeHead(200, { "content-type": "application/json" }).end("[]")
        : res.writeHead(308, { location: "/v2/audit-log/acme/" }).end(),
    );
    expect((await client(api.url).fetchPage("acme", { page: 1, pageSize: 1 })).events).toEqual([]);
    expect(api.requests.map((r) => r.key)).toEqual([API_KEY, API_KEY]);
  });

  it("plain http is refused except on loopback, and a key with a line break is refused unprinted", () => {
    expect(() => client("http://api.example.com")).toThrow(/not https: the API key would travel in the clear/);
    expect(
      () => new AuditLogClient({ apiKey: "csk-secret\nX-Injected: 1", baseUrl: "https://api.cloudsmith.io" }),
    ).toThrow(/has a character that an HTTP header cannot carry \(character \d+/);
    try {
      new AuditLogClient({ apiKey: "csk-secret\n", baseUrl: "https://api.cloudsmith.io" });
    } catch (e) {
      expect((e as Error).message).not.toContain("csk-secret");
    }
  });

  it("verify --cloudsmith-org: a redirect elsewhere is ERROR naming the host, never PASS", async () => {
    const other = await serve((_q, res) => res.writeHead(200, { "content-type": "application/json" }).end("[]"));
    const api = await serve((_q, res) => res.writeHead(302, { location: `${other.url}/x` }).end());
    const dir = await mkdtemp(join(tmpdir(), "cle-hostile-"));
    writeFileSync(
      join(dir, "cloudsmith-log-export.json"),
      JSON.stringify({
        accountId: "123456789012",
        region: "us-east-1",
        bucket: { name: "acme-logs" },
        logTypes: { client: { prefix: "c" } },
      }),
    );
    const r = await runCli(
      [
        "verify",
        "--cloudsmith-org",
        "acme",
        "--cloudsmith-api-url",
        api.url,
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--output",
        "json",
      ],
      {
        cwd: dir,
        env: {
          CLOUDSMITH_API_KEY: API_KEY,
          AWS_ACCESS_KEY_ID: "x",
          AWS_SECRET_ACCESS_KEY: "x",
          AWS_REGION: "us-east-1",
        },
      },
    );
    const result = JSON.parse(r.stdout).results.find(
      (x: { ruleId: string }) => x.ruleId === "cloudsmith.audit-log-access",
    );
    expect(result).toMatchObject({ status: "ERROR", message: expect.stringContaining("redirected (302)") });
    expect(other.requests).toEqual([]);
  }, 60_000);
});

describe("bounded answers", () => {
  it("pages that never end: stopped when a page brings nothing new", async () => {
    const api = await serve((_q, res) =>
      res
        .writeHead(200, { "content-type": "application/json", link: '<x?page=2>; rel="next"' })
        .end(JSON.stringify([event("same", "2026-01-01T00:00:00Z")])),
    );
    await expect(pullAuditLog(client(api.url), "acme", {})).rejects.toThrow(/pagination is not advancing/);
    expect(api.requests.length).toBe(2);
  });

  it("an absurd page total: stopped at the page cap", async () => {
    let n = 0;
    const api = await serve((_q, res) =>
      res
        .writeHead(200, { "content-type": "application/json", "x-pagination-pagetotal": "100000" })
        .end(JSON.stringify([event(`e${n++}`, "2026-01-01T00:00:00Z")])),
    );
    const err = await pullAuditLog(client(api.url), "acme", { pageSize: 1, maxPages: 20 }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/more than 20 pages: stopped \(pull a shorter span with --since\)/);
    // Advice names only flags that exist.
    expect((err as Error).message).not.toMatch(/--max-pages/);
    expect(api.requests.length).toBe(20);
  });

  it("the event cap and the time budget stop a pull with a clear error", async () => {
    let n = 0;
    const api = await serve((_q, res) =>
      res
        .writeHead(200, { "content-type": "application/json", link: '<x>; rel="next"' })
        .end(JSON.stringify(Array.from({ length: 5 }, () => event(`e${n++}`, "2026-01-01T00:00:00Z")))),
    );
    await expect(pullAuditLog(client(api.url), "acme", { pageSize: 5, maxEvents: 12 })).rejects.toThrow(
      /more than 12 events: stopped/,
    );
    let clock = Date.parse("2026-11-23T00:00:00Z");
    await expect(
      pullAuditLog(client(api.url), "acme", {
        pageSize: 5,
        deadlineMs: 60_000,
        now: () => new Date((clock += 30_000)),
      }),
    ).rejects.toThrow(/took longer than its deadline at page \d+: stopped/);
  });

  it("a body larger than 8 MiB is not read whole", async () => {
    const api = await serve((_q, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(2 ** 20, 32);
      let sent = 0;
      const more = () => {
        while (sent < 40 && res.write(chunk)) sent++;
        if (sent < 40) res.once("drain", more);
        else res.end();
      };
      more();
    });
    await expect(client(api.url).fetchPage("acme", { page: 1, pageSize: 1 })).rejects.toThrow(/larger than 8 MiB/);
  });

  it("a body that stalls after the headers: a timeout, said as such", async () => {
    const api = await serve((_q, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
    });
    await expect(client(api.url, { timeoutMs: 300 }).fetchPage("acme", { page: 1, pageSize: 1 })).rejects.toThrow(
      /no complete answer within 0.3 s/,
    );
  });

  it("escape sequences in an error body are shown escaped", async () => {
    const api = await serve((_q, res) => res.writeHead(418).end("\u001b[2K\rPASS trust.external-id\u202e"));
    const err = await client(api.url)
      .fetchPage("acme", { page: 1, pageSize: 1 })
      .catch((e: Error) => e);
    expect((err as Error).message).toContain("\\x1b[2K\\x0dPASS trust.external-id\\u202e");
    expect((err as Error).message).not.toMatch(/[\u001b\r\u202e]/);
  });
});

/** A fake API and an empty folder for one pull scenario; the API is closed afterwards. */
async function inStateDir(fn: (api: Awaited<ReturnType<typeof startFakeApi>>, dir: string) => Promise<void>) {
  const api = await startFakeApi();
  try {
    await fn(api, await mkdtemp(join(tmpdir(), "cle-state-")));
  } finally {
    await api.close();
  }
}

describe("audit-log pull: state that cannot be poisoned", () => {
  const pull = (dir: string, url: string) =>
    runCli(["audit-log", "pull", "--org", "acme", "--out", "events.jsonl", "--state", "state.json"], {
      cwd: dir,
      env: { CLOUDSMITH_API_KEY: API_KEY, CLOUDSMITH_API_URL: url },
    });

  it.each([
    ["null", "null", /not a JSON object/],
    [
      "a future version",
      '{"version":2,"org":"acme","cursor":null,"updatedAt":"2026-01-01T00:00:00Z"}',
      /version: 2 is not a version/,
    ],
    [
      "a cursor in 2099",
      '{"version":1,"org":"acme","cursor":{"eventAt":"2099-01-01T00:00:00Z","uuids":[]},"updatedAt":"2026-01-01T00:00:00Z"}',
      /cursor.eventAt: "2099-01-01T00:00:00Z" is not an RFC 3339 time up to now/,
    ],
    [
      "uuids of the wrong type",
      '{"version":1,"org":"acme","cursor":{"eventAt":"2026-01-01T00:00:00Z","uuids":"x"},"updatedAt":"2026-01-01T00:00:00Z"}',
      /cursor.uuids: not a list/,
    ],
  ])("a state file with %s: exit 2 naming the field, nothing written", async (_name, text, message) => {
    await inStateDir(async (api, dir) => {
      writeFileSync(join(dir, "state.json"), text);
      const r = await pull(dir, api.url);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(dir, "events.jsonl"))).toBe(false);
      expect(api.requests).toEqual([]);
    });
  });

  it("an unparseable time and one in 2099: written once, reported, the cursor not moved by them", async () => {
    await inStateDir(async (api, dir) => {
      api.events = [event("good", "2026-01-01T00:00:00Z"), event("future", "2099-01-01T00:00:00Z")];
      const first = await pull(dir, api.url);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/event future has the time "2099-01-01T00:00:00Z", which the cursor cannot use/);
      const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8"));
      expect(state.cursor.eventAt).toBe("2026-01-01T00:00:00Z");
      api.events.push(event("later", "2026-02-01T00:00:00Z"));
      const second = await pull(dir, api.url);
      expect(second.code, second.stderr).toBe(0);
      const uuids = readFileSync(join(dir, "events.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).uuid);
      expect(uuids).toEqual(["later"]); // the 2099 event is not written again, and later events still come
    });
  });

  it("a second pull on the same state while one runs: exit 2 with a clear message", async () => {
    await inStateDir(async (api, dir) => {
      writeFileSync(join(dir, "state.json.lock"), `${process.pid}\n`); // this test process is alive
      const r = await pull(dir, api.url);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/another pull \(pid \d+\) is using state.json/);
      writeFileSync(join(dir, "state.json.lock"), "999999\n"); // a pull that no longer runs
      api.events = [event("a", "2026-01-01T00:00:00Z")];
      expect((await pull(dir, api.url)).code).toBe(0);
      expect(existsSync(join(dir, "state.json.lock"))).toBe(false);
    });
  });

  it("a link planted at --out replaces the link, never the file it points to", async () => {
    await inStateDir(async (api, dir) => {
      writeFileSync(join(dir, "precious.txt"), "keep me\n");
      symlinkSync(join(dir, "precious.txt"), join(dir, "events.jsonl"));
      api.events = [event("a", "2026-01-01T00:00:00Z")];
      expect((await pull(dir, api.url)).code).toBe(0);
      expect(readFileSync(join(dir, "precious.txt"), "utf8")).toBe("keep me\n");
      expect(lstatSync(join(dir, "events.jsonl")).isSymbolicLink()).toBe(false);
    });
  });
});

describe("runs that cannot hang", () => {
  it("an API that never answers costs two timeouts, not one per retry", async () => {
    const api = await serve(() => undefined); // accepts, never answers
    const started = Date.now();
    await expect(
      new AuditLogClient({
        apiKey: API_KEY,
        baseUrl: api.url,
        minIntervalMs: 0,
        maxRetries: 5,
        timeoutMs: 300,
        sleep: async () => undefined,
      }).fetchPage("acme", { page: 1, pageSize: 1 }),
    ).rejects.toThrow(new RegExp(`${api.url.slice(7)} could not be reached after 2 attempts: no answer within 0.3 s`));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(api.requests.length).toBe(2);
  });

  it("verify --deadline ends a run whose endpoint never answers: exit 1, said plainly", async () => {
    const aws = await serve(() => undefined);
    const dir = await mkdtemp(join(tmpdir(), "cle-deadline-"));
    writeFileSync(
      join(dir, "cloudsmith-log-export.json"),
      JSON.stringify({
        accountId: "123456789012",
        region: "us-east-1",
        bucket: { name: "acme-logs" },
        logTypes: { client: { prefix: "c" } },
      }),
    );
    const started = Date.now();
    const r = await runCli(["verify", "--endpoint-url", aws.url, "--aws-timeout", "600", "--deadline", "2s"], {
      cwd: dir,
      env: { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "us-east-1" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/verify did not finish within 2 s \(--deadline\)/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
