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
  /** [id, epoch ms] of the events written within OVERLAP_MS before the cursor: not written again. */
  recent?: Array<[string, number]>;
}

/** How far each pull looks back before its cursor, for events that reach the API late. */
export const OVERLAP_MS = 15 * 60_000;
const MAX_RECENT = 50_000;

/** How far an event may be ahead of this machine's clock and still move the cursor. */
export const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_CURSOR_UUIDS = 10_000;
const MAX_QUARANTINED = 10_000;
/** Pages whose ids are kept to drop duplicates from pages that shifted while paging. */
const DEDUPE_PAGES = 20;
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
  const r = st.recent;
  if (
    r !== undefined &&
    (!Array.isArray(r) ||
      r.length > MAX_RECENT ||
      r.some((x) => !Array.isArray(x) || typeof x[0] !== "string" || typeof x[1] !== "number"))
  )
    return "recent: not a list of [event id, time] pairs";
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
  /** The events, oldest first, when no `emit` was given (otherwise empty: they went to `emit`). */
  events: AuditEvent[];
  count: number;
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
    /** Receives each new event as it arrives (in API order); without it they are returned sorted. */
    emit?: (e: AuditEvent) => void;
    onProgress?: (events: number, page: number, pageTotal?: number) => void;
    now?: () => Date;
  },
): Promise<PullResult> {
  const pageSize = opts.pageSize ?? 500;
  const cursor = opts.state?.cursor ?? null;
  // From the cursor, look back OVERLAP_MS: an event that reaches the API late, with an older time,
  // is still caught; the ids of the events already written in that span are in the state.
  const lower = cursor ? time(cursor.eventAt) - OVERLAP_MS : opts.since?.getTime();
  // One second early: the API compares with its own precision; exact filtering happens here.
  const query =
    lower !== undefined ? `event_at:>"${new Date(lower - 1000).toISOString().replace(/\.\d{3}Z$/, "Z")}"` : undefined;
  // Events go to `emit` (a file) as they arrive, and only the ids of the last pages are kept, so
  // memory stays flat: an event arriving during the pull shifts the newest-first pages by one, so a
  // duplicate shows up on the next page, well inside the window.
  const window: Array<Set<string>> = [];
  const seenRecently = (id: string) => window.some((p) => p.has(id));
  let total = 0;
  const known = new Set([...(cursor?.uuids ?? []), ...(opts.state?.recent ?? []).map(([id]) => id)]);
  const recent: Array<[string, number]> = [];
  const quarantined = new Set(opts.state?.quarantined ?? []);
  const collected: AuditEvent[] = [];
  const emit = opts.emit ?? ((e: AuditEvent) => void collected.push(e));
  const unusable: AuditEvent[] = [];
  let newest: { at: number; eventAt: string; uuids: Set<string> } | undefined;
  let count = 0;
  const maxPages = opts.maxPages ?? 10_000;
  const maxEvents = opts.maxEvents ?? 2_000_000;
  const clock = opts.now ?? (() => new Date());
  const now = clock().getTime();
  const deadline = now + (opts.deadlineMs ?? 2 * 3_600_000);
  const take = (e: AuditEvent) => {
    if (!usableTime(e.event_at, now)) {
      // A time the cursor cannot use: written once and reported; it never moves the cursor.
      if (quarantined.has(e.uuid)) return;
      if (unusable.length < MAX_QUARANTINED) unusable.push(e);
      count++;
      emit(e);
      return;
    }
    const t = time(e.event_at);
    if (lower !== undefined && t < lower) return;
    if (known.has(e.uuid)) return;
    count++;
    emit(e);
    // Only what may fall in the next pull's look-back: pages come newest first, so this stays small.
    if (recent.length < MAX_RECENT && (!newest || t >= newest.at - OVERLAP_MS)) recent.push([e.uuid, t]);
    if (!newest || t > newest.at) newest = { at: t, eventAt: e.event_at, uuids: new Set([e.uuid]) };
    else if (t === newest.at && newest.uuids.size < MAX_CURSOR_UUIDS) newest.uuids.add(e.uuid);
  };
  let page = 1;
  for (; ; page++) {
    if (page > maxPages)
      throw new PullLimitError(`more than ${maxPages} pages: stopped (pull a shorter span with --since)`);
    if (clock().getTime() > deadline)
      throw new PullLimitError(`the pull took longer than its deadline at page ${page}: stopped`);
    const res = await client.fetchPage(org, { page, pageSize, query });
    let fresh = 0;
    const ids = new Set<string>();
    for (const e of res.events) {
      if (e && typeof e.uuid === "string" && !seenRecently(e.uuid) && !ids.has(e.uuid)) {
        ids.add(e.uuid);
        fresh++;
        take(e);
      }
    }
    window.push(ids);
    if (window.length > DEDUPE_PAGES) window.shift();
    total += fresh;
    if (total > maxEvents)
      throw new PullLimitError(`more than ${maxEvents} events: stopped (pull a shorter span with --since)`);
    opts.onProgress?.(total, page, res.pageTotal);
    if (!res.hasNext || res.events.length === 0) break;
    if (fresh === 0)
      throw new PullLimitError(
        `page ${page} brought no event not already seen, yet the API says there are more: its pagination is not advancing, stopped`,
      );
  }

  // The cursor only moves forward: a late event from the look-back span never pulls it back.
  let next = cursor;
  if (newest && (!cursor || newest.at >= time(cursor.eventAt))) {
    const carried = cursor && time(cursor.eventAt) === newest.at ? cursor.uuids : [];
    next = { eventAt: newest.eventAt, uuids: [...new Set([...carried, ...newest.uuids])].sort() };
  }
  // The ids written within OVERLAP_MS of the new cursor, for the next pull's look-back.
  const edge = next ? time(next.eventAt) - OVERLAP_MS : Number.POSITIVE_INFINITY;
  const kept = new Map<string, number>();
  for (const [id, t] of [...(opts.state?.recent ?? []), ...recent]) if (t >= edge) kept.set(id, t);
  const nextRecent = [...kept].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(-MAX_RECENT);
  const stillQuarantined = [...quarantined, ...unusable.map((e) => e.uuid)].slice(-MAX_QUARANTINED);
  return {
    events: opts.emit ? [] : sortEvents(collected),
    count,
    unusable,
    pages: page,
    state: {
      version: 1,
      org,
      cursor: next,
      updatedAt: clock().toISOString(),
      ...(stillQuarantined.length > 0 ? { quarantined: stillQuarantined } : {}),
      ...(nextRecent.length > 0 ? { recent: nextRecent } : {}),
    },
  };
}

/** Oldest first; equal times by id; events without a usable time last. */
export function sortEvents(events: AuditEvent[]): AuditEvent[] {
  const key = (e: AuditEvent) => {
    const t = time(e.event_at);
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  return events.sort((a, b) => key(a) - key(b) || a.uuid.localeCompare(b.uuid));
}

/** RFC 3339 with a zone, not in the future. Returns the problem, or undefined when valid. */
export function checkBackfillTime(text: string, now = new Date()): string | undefined {
  if (!RFC3339.test(text)) return "use RFC 3339 with a time zone, e.g. 2026-01-31T00:00:00Z";
  const t = Date.parse(text);
  if (Number.isNaN(t)) return "not a real date and time";
  if (t > now.getTime()) return "is in the future";
  return undefined;
}
