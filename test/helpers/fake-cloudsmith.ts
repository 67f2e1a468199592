/**
 * A stand-in for the Cloudsmith audit-log API on loopback: newest-first
 * pages, pagination headers, the documented errors, and injectable faults
 * (429 with Retry-After, 500, a dropped connection).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AuditEvent } from "../../src/cloudsmith-api/client.js";

export type Fault =
  | { kind: "429"; retryAfter?: string }
  | { kind: "500" }
  | { kind: "drop" }
  | { kind: "ratelimit-exhausted"; resetInSeconds: number };

export interface FakeApi {
  url: string;
  events: AuditEvent[];
  faults: Fault[];
  requests: Array<{ path: string; query: URLSearchParams; apiKey?: string }>;
  /** Runs before each successful page is served (e.g. to insert an event mid-pull). */
  beforePage?: (page: number) => void;
  close(): Promise<void>;
}

export const API_KEY = "csk-test-0123456789abcdef";

export function event(uuid: string, eventAt: string, extra: Record<string, unknown> = {}): AuditEvent {
  return {
    uuid,
    event_at: eventAt,
    event: "Repository.Update",
    actor: "ci-bot",
    actor_kind: "service",
    object: "repo",
    object_kind: "Repository",
    ...extra,
  };
}

export async function startFakeApi(): Promise<FakeApi> {
  const api: FakeApi = { url: "", events: [], faults: [], requests: [], close: async () => undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const apiKey = req.headers["x-api-key"] as string | undefined;
    api.requests.push({ path: url.pathname, query: url.searchParams, apiKey });
    const fault = api.faults.shift();
    if (fault?.kind === "drop") return req.socket.destroy();
    if (fault?.kind === "500") return res.writeHead(500).end("oops");
    if (fault?.kind === "429")
      return res.writeHead(429, fault.retryAfter ? { "Retry-After": fault.retryAfter } : {}).end("slow down");
    const m = /^\/audit-log\/([^/]+)\/$/.exec(url.pathname);
    if (!m) return res.writeHead(404).end();
    const org = decodeURIComponent(m[1]!);
    if (apiKey !== API_KEY) return res.writeHead(401).end('{"detail":"Invalid API key."}');
    if (org === "no-plan") return res.writeHead(402).end('{"detail":"Payment required."}');
    if (org === "nobody") return res.writeHead(404).end('{"detail":"Not found."}');
    const query = url.searchParams.get("query") ?? "";
    if (query !== "" && !/^event_at:>"[^"]+"$/.test(query))
      return res.writeHead(422).end('{"detail":"Invalid query."}');
    const after = query ? Date.parse(query.slice(11, -1)) : -Infinity;
    const page = Number(url.searchParams.get("page") ?? 1);
    const size = Number(url.searchParams.get("page_size") ?? 30);
    api.beforePage?.(page);
    const matching = api.events
      .filter((e) => Date.parse(e.event_at) > after)
      .sort((a, b) => Date.parse(b.event_at) - Date.parse(a.event_at));
    const total = Math.max(1, Math.ceil(matching.length / size));
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "X-Pagination-Count": String(matching.length),
      "X-Pagination-Page": String(page),
      "X-Pagination-PageTotal": String(total),
      "X-Pagination-PageSize": String(size),
    };
    if (page < total) headers.Link = `<${api.url}/audit-log/${org}/?page=${page + 1}&page_size=${size}>; rel="next"`;
    if (fault?.kind === "ratelimit-exhausted") {
      headers["X-RateLimit-Remaining"] = "0";
      headers["X-RateLimit-Reset"] = String(Math.floor(Date.now() / 1000) + fault.resetInSeconds);
    }
    res.writeHead(200, headers).end(JSON.stringify(matching.slice((page - 1) * size, page * size)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  api.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  api.close = () => new Promise((r) => server.close(() => r()));
  return api;
}
