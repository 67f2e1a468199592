/**
 * Incremental audit-log pulls. The state file keeps a cursor: the newest
 * event time seen and the ids of the events at that exact time, so the next
 * pull asks from just before it and drops only what it already has: no
 * duplicates, and no gaps even when several events share a timestamp.
 */
import type { AuditEvent, AuditLogClient } from "./client.js";

export interface PullState {
  version: 1;
  org: string;
  cursor: { eventAt: string; uuids: string[] } | null;
  updatedAt: string;
  /** Events written once whose time the cursor cannot use (unparseable, or in the future): never written again. */
  quarantined?: string[];
}

/** How far an event may be ahead of this machine's clock and still move the cursor. */
export const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_CURSOR_UUIDS = 10_000;
const MAX_QUARANTINED = 10_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** A usable event time: RFC 3339, and not past now plus the clock skew. */
export const usableTime = (value: unknown, now: number): boolean =>
  typeof value === "string" && RFC3339.test(value) && Date.parse(value) <= now + CLOCK_SKEW_MS;

/** The state file checked field by field; returns the problem (naming the field), or undefined. */
export function checkState(raw: unknown, now = Date.now()): string | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return "not a JSON object";
  const st = raw as Record<string, unknown>;
  if (st.version !== 1) return `version: ${JSON.stringify(st.version)} is not a version this tool writes (1)`;
  if (typeof st.org !== "string" || st.org === "") return "org: missing or not a string";
  if (typeof st.updatedAt !== "string" || Number.isNaN(Date.parse(st.updatedAt))) return "updatedAt: not a time";
  const q = st.quarantined;
  if (q !== undefined && (!Array.isArray(q) || q.length > MAX_QUARANTINED || q.some((u) => typeof u !== "string")))
    return "quarantined: not a list of event ids";
  const c = st.cursor;
  if (c === null) return undefined;
  if (typeof c !== "object" || Array.isArray(c)) return "cursor: neither null nor an object";
  const { eventAt, uuids } = c as Record<string, unknown>;
  if (!usableTime(eventAt, now))
    return `cursor.eventAt: ${JSON.stringify(eventAt)?.slice(0, 60)} is not an RFC 3339 time up to now`;
  if (!Array.isArray(uuids) || uuids.length > MAX_CURSOR_UUIDS || uuids.some((u) => typeof u !== "string"))
    return "cursor.uuids: not a list of event ids";
  return undefined;
}

export interface PullResult {
  events: AuditEvent[];
  state: PullState;
  pages: number;
  /** Events whose time cannot move the cursor (unparseable, or in the future): written once, reported. */
  unusable: AuditEvent[];
}

/** Pulls that cannot finish: the API paging without end, or far more than any organization logs. */
export class PullLimitError extends Error {}

const time = (iso: string): number => Date.parse(iso);

export async function pullAuditLog(
  client: AuditLogClient,
  org: string,
  opts: {
    since?: Date;
    state?: PullState;
    pageSize?: number;
    maxPages?: number;
    /** @default 2,000,000 events */
    maxEvents?: number;
    /** Wall-clock budget for the whole pull. @default 2 hours */
    deadlineMs?: number;
    onProgress?: (events: number, page: number, pageTotal?: number) => void;
    now?: () => Date;
  },
): Promise<PullResult> {
  const pageSize = opts.pageSize ?? 500;
  const cursor = opts.state?.cursor ?? null;
  const lower = cursor ? time(cursor.eventAt) : opts.since?.getTime();
  // One second early: the API compares with its own precision; exact filtering happens here.
  const query =
    lower !== undefined ? `event_at:>"${new Date(lower - 1000).toISOString().replace(/\.\d{3}Z$/, "Z")}"` : undefined;
  const seen = new Map<string, AuditEvent>();
  const maxPages = opts.maxPages ?? 10_000;
  const maxEvents = opts.maxEvents ?? 2_000_000;
  const clock = opts.now ?? (() => new Date());
  const deadline = clock().getTime() + (opts.deadlineMs ?? 2 * 3_600_000);
  let page = 1;
  for (; ; page++) {
    if (page > maxPages)
      throw new PullLimitError(
        `more than ${maxPages} pages: stopped (pull a shorter span with --since, or raise --max-pages)`,
      );
    if (clock().getTime() > deadline)
      throw new PullLimitError(`the pull took longer than its deadline at page ${page}: stopped`);
    const res = await client.fetchPage(org, { page, pageSize, query });
    let fresh = 0;
    for (const e of res.events) {
      if (e && typeof e.uuid === "string" && !seen.has(e.uuid)) {
        seen.set(e.uuid, e);
        fresh++;
      }
    }
    if (seen.size > maxEvents)
      throw new PullLimitError(`more than ${maxEvents} events: stopped (pull a shorter span with --since)`);
    opts.onProgress?.(seen.size, page, res.pageTotal);
    if (!res.hasNext || res.events.length === 0) break;
    if (fresh === 0)
      throw new PullLimitError(
        `page ${page} brought no event not already seen, yet the API says there are more: its pagination is not advancing, stopped`,
      );
  }
  const known = new Set(cursor?.uuids ?? []);
  const now = clock().getTime();
  const quarantined = new Set(opts.state?.quarantined ?? []);
  // An event with a time the cursor cannot use is written once and reported; it never moves the cursor.
  const unusable = [...seen.values()].filter((e) => !usableTime(e.event_at, now) && !quarantined.has(e.uuid));
  const events = [...seen.values()]
    .filter((e) => usableTime(e.event_at, now))
    .filter((e) => lower === undefined || time(e.event_at) >= lower)
    .filter((e) => !(cursor && time(e.event_at) === time(cursor.eventAt) && known.has(e.uuid)))
    .sort((a, b) => time(a.event_at) - time(b.event_at) || a.uuid.localeCompare(b.uuid));

  let next = cursor;
  if (events.length > 0) {
    const newest = events[events.length - 1]!;
    const atNewest = events.filter((e) => time(e.event_at) === time(newest.event_at)).map((e) => e.uuid);
    const carried = cursor && time(cursor.eventAt) === time(newest.event_at) ? cursor.uuids : [];
    next = { eventAt: newest.event_at, uuids: [...new Set([...carried, ...atNewest])].sort() };
  }
  const stillQuarantined = [...quarantined, ...unusable.map((e) => e.uuid)].slice(-MAX_QUARANTINED);
  return {
    events: [...events, ...unusable],
    unusable,
    pages: page,
    state: {
      version: 1,
      org,
      cursor: next,
      updatedAt: clock().toISOString(),
      ...(stillQuarantined.length > 0 ? { quarantined: stillQuarantined } : {}),
    },
  };
}

/** RFC 3339 with a zone, not in the future. Returns the problem, or undefined when valid. */
export function checkBackfillTime(text: string, now = new Date()): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(text))
    return "use RFC 3339 with a time zone, e.g. 2026-01-31T00:00:00Z";
  const t = Date.parse(text);
  if (Number.isNaN(t)) return "not a real date and time";
  if (t > now.getTime()) return "is in the future";
  return undefined;
}
