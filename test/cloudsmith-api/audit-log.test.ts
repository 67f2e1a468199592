/** The audit-log client and incremental pulls against a fake API on loopback, with a fake clock. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLogClient, CloudsmithApiError } from "../../src/cloudsmith-api/client.js";
import { checkBackfillTime, pullAuditLog } from "../../src/cloudsmith-api/pull.js";
import { API_KEY, event, type FakeApi, startFakeApi } from "../helpers/fake-cloudsmith.js";

let api: FakeApi;
let clock: number;
let sleeps: number[];

function client(opts: { maxRetries?: number } = {}) {
  return new AuditLogClient({
    apiKey: API_KEY,
    baseUrl: api.url,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    ...opts,
  });
}

beforeEach(async () => {
  api = await startFakeApi();
  clock = Date.parse("2026-11-21T12:00:00Z");
  sleeps = [];
});
afterEach(() => api.close());

const ts = (m: number) => `2026-11-20T10:${String(m).padStart(2, "0")}:00Z`;

describe("audit-log client", () => {
  it("follows pagination, sends the key as X-Api-Key, at most one request a second", async () => {
    api.events = Array.from({ length: 7 }, (_, i) => event(`u${i}`, ts(i)));
    const r = await pullAuditLog(client(), "acme", { pageSize: 3 });
    expect(r.events.map((e) => e.uuid)).toEqual(["u0", "u1", "u2", "u3", "u4", "u5", "u6"]);
    expect(r.pages).toBe(3);
    expect(api.requests.map((q) => q.query.get("page"))).toEqual(["1", "2", "3"]);
    expect(api.requests.every((q) => q.apiKey === API_KEY && q.query.get("page_size") === "3")).toBe(true);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it("waits as long as Retry-After says on 429, then goes on", async () => {
    api.events = [event("a", ts(1))];
    api.faults = [{ kind: "429", retryAfter: "7" }];
    const r = await pullAuditLog(client(), "acme", {});
    expect(r.events).toHaveLength(1);
    expect(sleeps).toContain(7000);
  });

  it("a Retry-After of years stops the pull at once, saying so, instead of waiting in silence", async () => {
    api.events = [event("a", ts(1))];
    api.faults = [{ kind: "429", retryAfter: String(3 * 365 * 86_400) }];
    await expect(pullAuditLog(client(), "acme", {})).rejects.toThrow(
      /asked to wait 94608000 s before the next request \(Retry-After or X-RateLimit-Reset\), more than 60 s: stopped/,
    );
    expect(sleeps.every((s) => s <= 60_000)).toBe(true);
  });

  it("retries a dropped connection and a 500 with backoff, within a bound", async () => {
    api.events = [event("a", ts(1))];
    api.faults = [{ kind: "drop" }, { kind: "500" }];
    const r = await pullAuditLog(client(), "acme", {});
    expect(r.events).toHaveLength(1);
    expect(api.requests).toHaveLength(3);
    expect(sleeps.filter((s) => s !== 1000).length).toBeGreaterThanOrEqual(1);
    api.faults = Array.from({ length: 10 }, () => ({ kind: "500" as const }));
    await expect(pullAuditLog(client({ maxRetries: 3 }), "acme", {})).rejects.toThrow(
      /kept answering 500 after 4 attempts/,
    );
  });

  it("pauses until X-RateLimit-Reset when the budget is used up", async () => {
    api.events = Array.from({ length: 4 }, (_, i) => event(`u${i}`, ts(i)));
    clock = Date.now();
    api.faults = [{ kind: "ratelimit-exhausted", resetInSeconds: 30 }];
    await pullAuditLog(client(), "acme", { pageSize: 2 });
    expect(Math.max(...sleeps)).toBeGreaterThan(25_000);
  });

  it.each([
    ["bad key", "acme", 401, /API key was rejected \(401\): check CLOUDSMITH_API_KEY/],
    ["no audit logs on the plan", "no-plan", 402, /not available on the plan of 'no-plan' \(402\)/],
    ["unknown organization", "nobody", 404, /organization 'nobody' was not found \(404\)/],
  ])("%s: one message with the cause and the fix", async (_n, org, status, message) => {
    const c =
      org === "acme"
        ? new AuditLogClient({ apiKey: "wrong", baseUrl: api.url, sleep: async () => undefined })
        : client();
    const err = await pullAuditLog(c, org, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudsmithApiError);
    expect(err).toMatchObject({ status, message: expect.stringMatching(message) });
  });

  it("422: a query the API rejects", async () => {
    await expect(client().fetchPage("acme", { page: 1, pageSize: 1, query: "nonsense" })).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/rejected the request \(422\): .*Invalid query/),
    });
  });
});

describe("incremental pulls", () => {
  it("resumes from the cursor: no duplicates, no gaps, events with equal timestamps included", async () => {
    api.events = [event("a", ts(1)), event("b", ts(2)), event("c", ts(3)), event("d", ts(3))];
    const first = await pullAuditLog(client(), "acme", {});
    expect(first.events.map((e) => e.uuid)).toEqual(["a", "b", "c", "d"]);
    expect(first.state.cursor).toEqual({ eventAt: ts(3), uuids: ["c", "d"] });

    // A late event with the same timestamp as the cursor, and newer ones.
    api.events.push(event("e", ts(3)), event("f", ts(4)), event("g", ts(4)));
    const second = await pullAuditLog(client(), "acme", { state: first.state });
    expect(second.events.map((e) => e.uuid)).toEqual(["e", "f", "g"]);
    expect(second.state.cursor).toEqual({ eventAt: ts(4), uuids: ["f", "g"] });
    // The query looks back 15 minutes (and one second) before the cursor, for events that arrive late.
    expect(api.requests.at(-1)!.query.get("query")).toBe('event_at:>"2026-11-20T09:47:59Z"');

    const third = await pullAuditLog(client(), "acme", { state: second.state });
    expect(third.events).toEqual([]);
    expect(third.state.cursor).toEqual(second.state.cursor);
  });

  it("an event that reaches the API late, with an older time than the cursor, is still caught once", async () => {
    api.events = [event("a", ts(1)), event("b", ts(5))];
    const first = await pullAuditLog(client(), "acme", {});
    expect(first.events.map((e) => e.uuid)).toEqual(["a", "b"]);
    // Ingested after the first pull, but dated two minutes before its cursor.
    api.events.push(event("late", ts(3)));
    const second = await pullAuditLog(client(), "acme", { state: first.state });
    expect(second.events.map((e) => e.uuid)).toEqual(["late"]);
    expect(second.state.cursor?.eventAt).toBe(ts(5));
    const third = await pullAuditLog(client(), "acme", { state: second.state });
    expect(third.events).toEqual([]);
  });

  it("an event arriving while paging (pages shift) is not duplicated, and the next pull gets it", async () => {
    api.events = Array.from({ length: 6 }, (_, i) => event(`u${i}`, ts(i)));
    api.beforePage = (page) => {
      if (page === 2 && !api.events.some((e) => e.uuid === "new")) api.events.push(event("new", ts(30)));
    };
    const r = await pullAuditLog(client(), "acme", { pageSize: 2 });
    // Newest first: the new event pushed u4 onto page 2, where it is read a second time.
    expect(r.events.map((e) => e.uuid)).toEqual(["u0", "u1", "u2", "u3", "u4", "u5"]);
    const next = await pullAuditLog(client(), "acme", { state: r.state, pageSize: 2 });
    expect(next.events.map((e) => e.uuid)).toEqual(["new"]);
  });

  it("--since backfills from a time on the first run", async () => {
    api.events = [event("old", ts(1)), event("new", ts(5))];
    const r = await pullAuditLog(client(), "acme", { since: new Date(ts(3)) });
    expect(r.events.map((e) => e.uuid)).toEqual(["new"]);
  });

  it("backfill times: RFC 3339 with a zone, not in the future", () => {
    expect(checkBackfillTime("2026-01-31T00:00:00Z")).toBeUndefined();
    expect(checkBackfillTime("2026-01-31T00:00:00.5+02:00")).toBeUndefined();
    expect(checkBackfillTime("2026-01-31T00:00:00")).toMatch(/time zone/);
    expect(checkBackfillTime("2026-01-31")).toMatch(/RFC 3339/);
    expect(checkBackfillTime("2026-02-30T00:00:00Z", new Date("2027-01-01"))).toBeUndefined; // JS rolls it over; the API decides
    expect(checkBackfillTime("2099-01-01T00:00:00Z")).toMatch(/future/);
  });
});

describe("audit-log pull and verify --cloudsmith-org (spawned CLI)", async () => {
  const { runCli } = await import("../helpers/cli.js");
  const { mkdtemp, readFile } = await import("node:fs/promises");
  const { existsSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");

  it("writes JSON lines and a state file; the next run writes only new events", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-audit-"));
    api.events = [event("a", ts(1)), event("b", ts(2))];
    const env = { CLOUDSMITH_API_KEY: API_KEY, CLOUDSMITH_API_URL: api.url };
    const args = ["audit-log", "pull", "--org", "acme", "--out", "events.jsonl", "--state", "state.json"];
    const first = await runCli(args, { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(
      (await readFile(join(dir, "events.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).uuid),
    ).toEqual(["a", "b"]);
    expect(JSON.parse(await readFile(join(dir, "state.json"), "utf8"))).toMatchObject({
      version: 1,
      org: "acme",
      cursor: { eventAt: ts(2), uuids: ["b"] },
    });
    expect(first.stderr).toMatch(/2 new event\(s\) to events.jsonl/);
    api.events.push(event("c", ts(3)));
    const second = await runCli(args, { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(
      (await readFile(join(dir, "events.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).uuid),
    ).toEqual(["c"]);
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(API_KEY);
  });

  it("a rejected key: exit 2, the cause, and nothing written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-audit-"));
    const r = await runCli(["audit-log", "pull", "--org", "acme", "--out", "events.jsonl", "--state", "s.json"], {
      cwd: dir,
      env: { CLOUDSMITH_API_KEY: "wrong-key-value", CLOUDSMITH_API_URL: api.url },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/API key was rejected \(401\)/);
    expect(r.stderr).not.toContain("wrong-key-value");
    expect(existsSync(join(dir, "events.jsonl"))).toBe(false);
    expect(existsSync(join(dir, "s.json"))).toBe(false);
    const noKey = await runCli(["audit-log", "pull", "--org", "acme"], {
      cwd: dir,
      env: { CLOUDSMITH_API_KEY: undefined },
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/set CLOUDSMITH_API_KEY/);
  });

  it("verify --cloudsmith-org checks the key can read the audit log", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-audit-"));
    const { synthVariant } = await import("../helpers/synth.js");
    const { variants } = await import("../helpers/configs.js");
    const { result } = await synthVariant(variants.default!);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(variants.default));
    const env = { CLOUDSMITH_API_KEY: API_KEY, CLOUDSMITH_API_URL: api.url };
    const ok = await runCli(["verify", "--static", result.stackDir, "--cloudsmith-org", "acme"], { cwd: dir, env });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(
      /PASS\s+cloudsmith.audit-log-access\s+cloudsmith\/acme\s+the key can read the audit log of 'acme'/,
    );
    const noPlan = await runCli(["verify", "--static", result.stackDir, "--cloudsmith-org", "no-plan"], {
      cwd: dir,
      env,
    });
    expect(noPlan.code).toBe(1);
    expect(noPlan.stdout).toMatch(/FAIL\s+cloudsmith.audit-log-access[\s\S]*?\(402\)/);
  });
});
