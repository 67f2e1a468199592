/**
 * A polite client for Cloudsmith's audit-log API: at most one request per
 * second, Retry-After and X-RateLimit-* honoured, exponential backoff with
 * jitter on 429/5xx/network errors, bounded retries. The API key is sent as
 * X-Api-Key and never printed.
 */
export interface AuditEvent {
  uuid: string;
  event_at: string;
  [field: string]: unknown;
}

export interface ClientOptions {
  apiKey: string;
  /** @default https://api.cloudsmith.io */
  baseUrl?: string;
  /** @default 1000 (one request a second) */
  minIntervalMs?: number;
  /** @default 5 */
  maxRetries?: number;
  /** Seams for tests: time, waiting and jitter. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** An API answer that retrying cannot fix: carries the cause and the fix; exit code 2. */
export class CloudsmithApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "CloudsmithApiError";
  }
}

export interface Page {
  events: AuditEvent[];
  pageTotal?: number;
  hasNext: boolean;
}

const MAX_WAIT_MS = 120_000;

function explain(status: number, org: string, body: string): string | undefined {
  switch (status) {
    case 401:
      return "the API key was rejected (401): check CLOUDSMITH_API_KEY; use a key of a user or service account in the organization";
    case 402:
      return `audit logs are not available on the plan of '${org}' (402): they need a plan that includes audit logs`;
    case 404:
      return `organization '${org}' was not found (404): check the slug (as in cloudsmith.io/~${org}) and that the key's account belongs to it`;
    case 422:
      return `the API rejected the request (422): ${body.slice(0, 300) || "invalid query parameters"}`;
    default:
      return undefined;
  }
}

/** Retry-After as seconds or an HTTP date; X-RateLimit-Reset as epoch seconds. */
function waitFromHeaders(h: Headers, now: number): number | undefined {
  const retryAfter = h.get("retry-after");
  if (retryAfter) {
    const secs = Number(retryAfter);
    const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms)) return Math.max(0, Math.min(ms, MAX_WAIT_MS));
  }
  if (h.get("x-ratelimit-remaining") === "0") {
    const reset = Number(h.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, Math.min(reset * 1000 - now, MAX_WAIT_MS));
  }
  return undefined;
}

export class AuditLogClient {
  private lastRequest = -Infinity;
  private pauseUntil = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  requests = 0;

  constructor(private readonly opts: ClientOptions) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = opts.random ?? Math.random;
  }

  private async throttle(): Promise<void> {
    const wait = Math.max(this.lastRequest + (this.opts.minIntervalMs ?? 1000), this.pauseUntil) - this.now();
    if (wait > 0) await this.sleep(wait);
    this.lastRequest = this.now();
  }

  async fetchPage(org: string, params: { page: number; pageSize: number; query?: string }): Promise<Page> {
    const url = new URL(`/audit-log/${encodeURIComponent(org)}/`, this.opts.baseUrl ?? "https://api.cloudsmith.io");
    url.searchParams.set("page", String(params.page));
    url.searchParams.set("page_size", String(params.pageSize));
    if (params.query) url.searchParams.set("query", params.query);
    const maxRetries = this.opts.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      await this.throttle();
      this.requests++;
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { "X-Api-Key": this.opts.apiKey, Accept: "application/json" },
          signal: AbortSignal.timeout(60_000),
        });
      } catch (e) {
        if (attempt >= maxRetries)
          throw new Error(
            `the Cloudsmith API could not be reached after ${attempt + 1} attempts: ${(e as Error).message}`,
          );
        await this.sleep(this.backoff(attempt));
        continue;
      }
      const body = await res.text().catch(() => "");
      const explained = explain(res.status, org, body);
      if (explained) throw new CloudsmithApiError(res.status, explained);
      if (res.status === 429 || res.status >= 500) {
        if (attempt >= maxRetries)
          throw new Error(`the Cloudsmith API kept answering ${res.status} after ${attempt + 1} attempts`);
        await this.sleep(waitFromHeaders(res.headers, this.now()) ?? this.backoff(attempt));
        continue;
      }
      if (!res.ok)
        throw new CloudsmithApiError(
          res.status,
          `unexpected answer ${res.status} from the Cloudsmith API: ${body.slice(0, 200)}`,
        );
      // Out of budget: wait for the window to reset before the next request.
      if (res.headers.get("x-ratelimit-remaining") === "0")
        this.pauseUntil = this.now() + (waitFromHeaders(res.headers, this.now()) ?? 0);
      let events: AuditEvent[];
      try {
        events = JSON.parse(body) as AuditEvent[];
        if (!Array.isArray(events)) throw new Error("not a JSON array");
      } catch (e) {
        throw new Error(`the Cloudsmith API returned something other than a list of events: ${(e as Error).message}`);
      }
      const pageTotal = Number(res.headers.get("x-pagination-pagetotal")) || undefined;
      const link = res.headers.get("link");
      const hasNext =
        link !== null
          ? /rel="?next"?/.test(link)
          : pageTotal !== undefined
            ? params.page < pageTotal
            : events.length >= params.pageSize;
      return { events, pageTotal, hasNext };
    }
  }

  /** Exponential backoff with full jitter: 1 s, 2 s, 4 s ... (capped at 30 s). */
  private backoff(attempt: number): number {
    return Math.round(Math.min(30_000, 1000 * 2 ** attempt) * (0.5 + this.random() / 2));
  }
}
