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
}

export interface PullResult {
  events: AuditEvent[];
  state: PullState;
  pages: number;
}

const time = (iso: string): number => Date.parse(iso);

export async function pullAuditLog(
  client: AuditLogClient,
  org: string,
  opts: {
    since?: Date;
    state?: PullState;
    pageSize?: number;
    maxPages?: number;
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
  let page = 1;
  for (; page <= (opts.maxPages ?? 100_000); page++) {
    const res = await client.fetchPage(org, { page, pageSize, query });
    for (const e of res.events) if (e && typeof e.uuid === "string" && !seen.has(e.uuid)) seen.set(e.uuid, e);
    opts.onProgress?.(seen.size, page, res.pageTotal);
    if (!res.hasNext || res.events.length === 0) break;
  }
  const known = new Set(cursor?.uuids ?? []);
  const events = [...seen.values()]
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
  return {
    events,
    pages: page,
    state: { version: 1, org, cursor: next, updatedAt: (opts.now?.() ?? new Date()).toISOString() },
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
