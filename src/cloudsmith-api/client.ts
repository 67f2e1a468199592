/**
 * A polite client for Cloudsmith's audit-log API: at most one request per
 * second, Retry-After and X-RateLimit-* honoured, exponential backoff with
 * jitter on 429/5xx/network errors, bounded retries. The API key is sent as
 * X-Api-Key and never printed, and never leaves the API's origin: redirects
 * are followed by hand, same origin only (fetch strips Authorization across
 * origins, not custom headers). HTTPS is required except on loopback; every
 * answer is read with a size cap and a timeout; what the server says is
 * escaped before it reaches a terminal.
 */

import { debug } from "../util/debug.js";
import { docsUrl, packageVersion } from "../util/package-root.js";
import { printable } from "../util/printable.js";
import { holdSecret } from "../util/secrets.js";
import { type HttpAnswer, httpGet } from "./http.js";
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
  /** Per request, headers and body. @default 60000 */
  timeoutMs?: number;
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

/** The longest wait a server may ask for: past it the pull stops with a message, never a silent wait. */
const MAX_WAIT_MS = 60_000;
/**
 * A page of 500 events is a few hundred KiB (about 700 bytes an event): 8 MiB is far beyond any
 * real one, and parsing it stays within the run's memory budget.
 */
const MAX_BODY_BYTES = 8 * 2 ** 20;
/** An event id is a UUID (36 characters); an id far longer is not one, and would cost memory kept per page. */
const MAX_ID_LENGTH = 128;
const REQUEST_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 5;

export const DEFAULT_API_URL = "https://api.cloudsmith.io";

/** Who is asking, so the API's operators can tell this tool's requests apart (and reach its authors). */
const userAgent = (): string =>
  `cloudsmith-log-export/${packageVersion()} (+${docsUrl()}) node/${process.versions.node}`;

/** Network failures that another attempt a second later will not fix, in words. */
const UNREACHABLE: Record<string, string> = {
  ENOTFOUND: "the host name does not resolve (DNS, or a typo in the URL)",
  EAI_AGAIN: "the host name could not be resolved now (DNS)",
  ECONNREFUSED: "the connection was refused (nothing listens there, or a firewall)",
  EHOSTUNREACH: "the host cannot be reached (routing, a firewall or a proxy)",
  ENETUNREACH: "the network cannot be reached (routing, or no connection)",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed (a TLS-inspecting proxy? set NODE_EXTRA_CA_CERTS)",
  SELF_SIGNED_CERT_IN_CHAIN:
    "its TLS certificate chain is not trusted (a TLS-inspecting proxy? set NODE_EXTRA_CA_CERTS)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate cannot be verified (set NODE_EXTRA_CA_CERTS for a private CA)",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate is for another host name",
};

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether an API URL points at this machine (a local stand-in): only there is plain http allowed. */
export const isLoopbackUrl = (raw: string): boolean => URL.canParse(raw) && LOOPBACK.has(new URL(raw).hostname);

/** The API base URL, checked: https, or http only on loopback (a local stand-in). */
export function checkApiUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CloudsmithApiError(0, `the API URL '${printable(raw, 100)}' is not a URL`);
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname))) return url;
  throw new CloudsmithApiError(
    0,
    `the API URL ${printable(url.origin, 100)} is not https: the API key would travel in the clear (plain http is allowed only on loopback)`,
  );
}

/** The body as text, at most MAX_BODY_BYTES; a slow or endless body ends with a clear error. */
async function readBody(res: HttpAnswer, host: string): Promise<string> {
  try {
    return await res.text(MAX_BODY_BYTES);
  } catch (e) {
    const m = (e as Error).message;
    if (m.startsWith("larger than")) throw new Error(`the answer from ${host} is ${m}: not read further`);
    throw new Error(`reading the answer from ${host} failed: ${m}`);
  }
}

function explain(status: number, org: string, body: string): string | undefined {
  switch (status) {
    case 401:
      return "the API key was rejected (401): check CLOUDSMITH_API_KEY; use a key of a user or service account in the organization";
    case 402:
      return `audit logs are not available on the plan of '${org}' (402): they need a plan that includes audit logs`;
    case 404:
      return `organization '${org}' was not found (404): check the slug (as in cloudsmith.io/~${org}) and that the key's account belongs to it`;
    case 422:
      return `the API rejected the request (422): ${printable(body, 300) || "invalid query parameters"}`;
    default:
      return undefined;
  }
}

/** Retry-After as seconds or an HTTP date; X-RateLimit-Reset as epoch seconds. */
function waitFromHeaders(h: { get(name: string): string | null }, now: number): number | undefined {
  const retryAfter = h.get("retry-after");
  if (retryAfter) {
    const secs = Number(retryAfter);
    const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms)) return Math.max(0, ms);
  }
  if (h.get("x-ratelimit-remaining") === "0") {
    const reset = Number(h.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}

/** The server asked for a longer wait than the client takes: the run stops, saying so. */
export class WaitTooLong extends Error {}

export class AuditLogClient {
  private lastRequest = -Infinity;
  private pauseUntil = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  requests = 0;

  private readonly base: URL;

  constructor(private readonly opts: ClientOptions) {
    // An HTTP header carries visible ASCII only: anything else (a line break, a space, a curly
    // quote from a copied document) is refused here, by position, never sent and never printed.
    const bad = [...opts.apiKey].findIndex((c) => c < "!" || c > "~");
    if (opts.apiKey === "" || bad >= 0)
      throw new CloudsmithApiError(
        0,
        opts.apiKey === ""
          ? "CLOUDSMITH_API_KEY is empty: it was not sent"
          : `CLOUDSMITH_API_KEY has a character that an HTTP header cannot carry (character ${bad + 1}: a space, a line break or a non-ASCII character from a copied document?): it was not sent`,
      );
    holdSecret(opts.apiKey);
    this.base = checkApiUrl(opts.baseUrl ?? DEFAULT_API_URL);
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
    const url = new URL(`/audit-log/${encodeURIComponent(org)}/`, this.base);
    url.searchParams.set("page", String(params.page));
    url.searchParams.set("page_size", String(params.pageSize));
    if (params.query) url.searchParams.set("query", params.query);
    const maxRetries = this.opts.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      await this.throttle();
      this.requests++;
      let res: HttpAnswer;
      try {
        res = await this.get(url);
      } catch (e) {
        if (e instanceof CloudsmithApiError) throw e;
        // A server that never answers costs at most two timeouts, not one per retry; a host that
        // does not resolve, refuses connections or has an untrusted certificate is asked twice, not six times.
        const timedOut = (e as Error).name === "TimeoutError";
        const code = (e as NodeJS.ErrnoException).code;
        const definite = code !== undefined && code in UNREACHABLE;
        if (attempt >= maxRetries || ((timedOut || definite) && attempt >= 1)) {
          const why = timedOut
            ? `no answer within ${(this.opts.timeoutMs ?? REQUEST_TIMEOUT_MS) / 1000} s`
            : definite
              ? `${UNREACHABLE[code]} (${code})`
              : `${(e as Error).message}${code && !(e as Error).message.includes(code) ? ` (${code})` : ""}`;
          throw new Error(
            `the Cloudsmith API at ${this.base.host} could not be reached after ${attempt + 1} attempts: ${why}`,
          );
        }
        await this.sleep(this.backoff(attempt));
        continue;
      }
      const body = await readBody(res, this.base.host);
      const explained = explain(res.status, org, body);
      if (explained) throw new CloudsmithApiError(res.status, explained);
      if (res.status === 429 || res.status >= 500) {
        if (attempt >= maxRetries)
          throw new Error(`the Cloudsmith API kept answering ${res.status} after ${attempt + 1} attempts`);
        await this.sleep(this.boundedWait(waitFromHeaders(res.headers, this.now())) ?? this.backoff(attempt));
        continue;
      }
      if (res.status < 200 || res.status >= 300)
        throw new CloudsmithApiError(
          res.status,
          `unexpected answer ${res.status} from the Cloudsmith API at ${this.base.host}: ${printable(body, 200)}`,
        );
      // Out of budget: wait for the window to reset before the next request.
      if (res.headers.get("x-ratelimit-remaining") === "0")
        this.pauseUntil = this.now() + (this.boundedWait(waitFromHeaders(res.headers, this.now())) ?? 0);
      let events: AuditEvent[];
      try {
        events = JSON.parse(body) as AuditEvent[];
        if (!Array.isArray(events)) throw new Error("not a JSON array");
      } catch (e) {
        throw new Error(
          `the Cloudsmith API at ${this.base.host} returned something other than a list of events: ${printable((e as Error).message, 200)}`,
        );
      }
      // What the API promises: at most the page size asked for, each event with a UUID.
      if (events.length > params.pageSize)
        throw new Error(
          `the Cloudsmith API at ${this.base.host} returned ${events.length} events for a page of ${params.pageSize}: not the API this tool knows, stopped`,
        );
      const longId = events.find((e) => typeof e?.uuid === "string" && e.uuid.length > MAX_ID_LENGTH);
      if (longId)
        throw new Error(
          `the Cloudsmith API at ${this.base.host} returned an event id of ${longId.uuid.length} characters (a UUID has 36): not the API this tool knows, stopped`,
        );
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

  /** The host requests go to, for reports. */
  get host(): string {
    return this.base.host;
  }

  /** GET with the key, following redirects only within the API's origin. */
  private async get(url: URL): Promise<HttpAnswer> {
    let target = url;
    for (let hop = 0; ; hop++) {
      // Redirects are never followed by the HTTP layer: only here, and only within the API's origin.
      const start = performance.now();
      const res = await httpGet(
        target,
        { "X-Api-Key": this.opts.apiKey, Accept: "application/json", "User-Agent": userAgent() },
        this.opts.timeoutMs ?? REQUEST_TIMEOUT_MS,
      );
      // The path only: the query may carry a user's filter, and the key is a header, never logged.
      debug(
        `cloudsmith GET ${target.host}${target.pathname} ${res.status} in ${Math.round(performance.now() - start)} ms`,
      );
      if (res.status < 300 || res.status >= 400 || res.status === 304) return res;
      res.discard();
      const location = res.headers.get("location");
      const next = location ? new URL(location, target) : undefined;
      if (!next || next.origin !== this.base.origin)
        throw new CloudsmithApiError(
          res.status,
          `the Cloudsmith API at ${this.base.host} redirected (${res.status}) to ${next ? printable(next.host, 100) : "nowhere"}: not followed, so the API key stays with ${this.base.host}`,
        );
      if (hop >= MAX_REDIRECTS)
        throw new CloudsmithApiError(
          res.status,
          `the Cloudsmith API at ${this.base.host} redirected more than ${MAX_REDIRECTS} times`,
        );
      target = next;
    }
  }

  /** Exponential backoff with full jitter: 1 s, 2 s, 4 s ... (capped at 30 s). */
  /** A wait the server asked for, or a WaitTooLong past MAX_WAIT_MS (Retry-After of hours or years). */
  private boundedWait(ms: number | undefined): number | undefined {
    if (ms !== undefined && ms > MAX_WAIT_MS)
      throw new WaitTooLong(
        `the Cloudsmith API at ${this.base.host} asked to wait ${Math.round(ms / 1000)} s before the next request (Retry-After or X-RateLimit-Reset), more than ${MAX_WAIT_MS / 1000} s: stopped; run again later`,
      );
    return ms;
  }

  private backoff(attempt: number): number {
    return Math.round(Math.min(30_000, 1000 * 2 ** attempt) * (0.5 + this.random() / 2));
  }
}
