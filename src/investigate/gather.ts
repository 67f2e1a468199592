/**
 * The objects an investigation reads, fetched into the object cache: each export prefix of the
 * config (downloads and the audit log, in the configured format) and the trail's CloudTrail
 * files (CodeArtifact's events) for the window. Listings are pruned by LastModified (exports are
 * written after the requests they hold, so up to a day later is kept), objects are fetched with
 * bounded concurrency, kept as stored, then gunzipped by magic bytes (output-capped) and scanned:
 * only a line or record that mentions the package (a cheap text test) is parsed and normalised
 * into a row, so a month of exports costs a decompression and a scan, not a parse of every line.
 * A source that cannot be read is reported, never silently empty; the others still answer.
 */

import { gunzipSync } from "node:zlib";
import type { Clients } from "../aws/clients.js";
import { describeError } from "../aws/describe-error.js";
import { ObjectFetcher } from "../aws/object-fetcher.js";
import { isGzip, listObjects, ObjectTooLarge, s3Uri } from "../aws/s3.js";
import { type LogRecord, parseCsvLine, parseExport } from "../cloudsmith-logs/parse.js";
import { dayFolders, logFolder } from "../cloudtrail/layout.js";
import { RecordSplitter } from "../cloudtrail/records.js";
import { exportTargets, keyPrefix } from "../config/derived.js";
import type { Config } from "../config/schema.js";
import { debug } from "../util/debug.js";
import { limiter, mapBounded } from "../util/map-bounded.js";
import type { ObjectStore } from "./cache.js";
import { auditRow, codeArtifactRow, downloadRow, type Row, type Source } from "./rows.js";

export interface Window {
  from: Date;
  to: Date;
}

export interface SourceReport {
  source: Source;
  /** Where it was read: `s3://bucket/prefix`. */
  location: string;
  objects: number;
  fromCache: number;
  rows: number;
  malformed: Array<{ key: string; line: number; message: string }>;
  /** Set when the source could not be read: the run exits 1, the other sources still answer. */
  error?: string;
}

const DAY = 86_400_000;
/** An export object larger than this inflated is not read (Cloudsmith writes hourly objects). */
const EXPORT_LIMIT = 256 * 2 ** 20;
const TRAIL_LIMIT = 256 * 2 ** 20;
const MAX_OBJECTS = 100_000;
/** Keys a listing page: the first fetches start after this many, not after a whole listing. */
const LIST_PAGE = 200;
/** Objects fetched at once, across every source (`--concurrency`); `aws s3 sync` uses 10. */
export const DEFAULT_CONCURRENCY = 16;

export interface Listed {
  bucket: string;
  key: string;
  size: number;
  lastModified: Date;
}

export async function gather(
  c: Clients,
  cfg: Config,
  win: Window,
  cache: ObjectStore,
  opts: {
    /** Matches a line or record that may concern the package: only those are parsed. */
    mentions: RegExp;
    trail?: () => Promise<{ bucket: string; folder: string }>;
    onObject?: () => void;
    /** Objects fetched at once, shared by the sources, which are read side by side. */
    concurrency?: number;
    /** Aborted: the objects not yet fetched are skipped. */
    signal?: AbortSignal;
  },
): Promise<{ rows: Row[]; sources: SourceReport[] }> {
  const fetchSlot = limiter(opts.concurrency ?? DEFAULT_CONCURRENCY);
  const fetcher = new ObjectFetcher(c);
  const rows: Row[] = [];
  const sources: SourceReport[] = [];
  const bucket = cfg.bucket.name;

  /**
   * One source: its listing feeds the fetches page by page (a month of objects starts downloading
   * after the first page, not the last), every object through the shared slots. After a failure
   * the rest of this source is skipped, and nothing is left running.
   */
  const read = async (
    source: Source,
    location: string,
    list: (emit: (objects: Listed[]) => void) => Promise<void>,
    scan: (o: Listed, text: Buffer) => { rows: Row[]; malformed: Array<{ line: number; message: string }> },
    limit: number,
  ) => {
    const report: SourceReport = { source, location, objects: 0, fromCache: 0, rows: 0, malformed: [] };
    sources.push(report);
    let stop = false;
    const fetches: Array<Promise<void>> = [];
    const fetchOne = (o: Listed) =>
      fetchSlot(async () => {
        if (stop || opts.signal?.aborted) return;
        let bytes = await cache.get(o);
        opts.onObject?.();
        if (bytes) report.fromCache++;
        else {
          bytes = await fetcher.get(o.bucket, o.key, limit);
          if (!bytes) throw new Error(`${s3Uri(o.bucket, o.key)} was deleted while it was being read`);
          await cache.put(o, bytes);
        }
        const text = inflate(o, bytes, limit);
        const found = scan(o, text);
        report.rows += found.rows.length;
        for (const r of found.rows) rows.push(r);
        for (const m of found.malformed) if (report.malformed.length < 100) report.malformed.push({ key: o.key, ...m });
      }).catch((e: unknown) => {
        stop = true;
        throw e;
      });
    let failure: unknown;
    try {
      await list((objects) => {
        report.objects += objects.length;
        for (const o of objects) {
          const f = fetchOne(o);
          f.catch(() => {}); // judged below, once the listing is done
          fetches.push(f);
        }
      });
    } catch (e) {
      stop = true;
      failure = e;
    }
    const settled = await Promise.allSettled(fetches);
    failure ??= settled.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
    if (failure !== undefined)
      report.error = failure instanceof ObjectTooLarge ? `${failure.message}: not read` : describeError(failure);
  };

  const inWindow = (o: { lastModified: Date }) =>
    o.lastModified.getTime() >= win.from.getTime() && o.lastModified.getTime() <= win.to.getTime() + DAY;
  // Small pages: the first objects are fetched while the rest are still being listed.
  const listPrefix = async (b: string, prefix: string, emit: (objects: Listed[]) => void): Promise<void> => {
    const { truncated } = await listObjects(c, b, prefix, {
      max: MAX_OBJECTS,
      pageSize: LIST_PAGE,
      onPage: (page) => emit(page.filter(inWindow).map((o) => ({ bucket: b, ...o }))),
    });
    if (truncated) throw new Error(`more than ${MAX_OBJECTS} objects under ${s3Uri(b, prefix)}: narrow the window`);
  };

  // The sources side by side: the trail's day folders are listed while the exports download.
  const reads: Array<Promise<void>> = [];
  for (const t of exportTargets(cfg)) {
    const prefix = keyPrefix(t.prefix);
    const source: Source = t.logType === "client" ? "cloudsmith-download" : "cloudsmith-audit";
    reads.push(
      read(
        source,
        s3Uri(bucket, prefix),
        (emit) => listPrefix(bucket, prefix, emit),
        (o, bytes) =>
          scanExport(bytes, cfg.format, opts.mentions, (r, line) => {
            const where = { bucket: o.bucket, key: o.key, line };
            return source === "cloudsmith-download" ? downloadRow(r, where) : auditRow(r, where);
          }),
        EXPORT_LIMIT,
      ),
    );
  }

  if (cfg.cloudtrail.mode !== "none" && opts.trail) {
    const getTrail = opts.trail;
    const at = sources.length;
    reads.push(
      read(
        "codeartifact",
        "(the trail)",
        async (emit) => {
          const { bucket: tb, folder } = await getTrail();
          sources[at]!.location = s3Uri(tb, folder);
          const days = dayFolders(win.from, new Date(win.to.getTime() + 3_600_000));
          await mapBounded(days, 8, (day) => listPrefix(tb, `${folder}${day}`, emit));
        },
        (o, bytes) => {
          // Most trail files hold nothing about the package: one search over the whole file skips
          // them (a record that mentions it is part of the file's text, so none is missed).
          if (!opts.mentions.test(bytes.toString("utf8"))) return { rows: [], malformed: [] };
          const found: Row[] = [];
          const splitter = new RecordSplitter(
            (record) => {
              const row = codeArtifactRow(record as Record<string, unknown>, { bucket: o.bucket, key: o.key });
              if (row) found.push(row);
            },
            (text) => opts.mentions.test(text),
          );
          splitter.push(bytes);
          splitter.end();
          return { rows: found, malformed: [] };
        },
        TRAIL_LIMIT,
      ),
    );
  }
  await Promise.all(reads);
  debug(`s3 objects: ${fetcher.counts.direct} sent directly, ${fetcher.counts.sdk} through the SDK`);
  return { rows, sources };
}

/**
 * The object's content: gunzipped (by its magic bytes) with an output cap, else as stored. On the
 * main thread: zlib's thread pool was measured slower here (a hop per chunk, for small objects).
 */
function inflate(o: Listed, bytes: Buffer, limit: number): Buffer {
  if (!isGzip(bytes)) return bytes;
  try {
    // 1 MiB output chunks: an hourly export inflates to about half a MiB, so one or two (16 KiB
    // chunks, the default, were measured a quarter slower on a month of them).
    return gunzipSync(bytes, { maxOutputLength: limit, chunkSize: 2 ** 20 });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new ObjectTooLarge(o.key, limit);
    throw new Error(`${s3Uri(o.bucket, o.key)} is not valid gzip (${(e as Error).message})`);
  }
}

/**
 * A line that cannot be one of the format's records, told without parsing it (JSON formats): the
 * line starts at `start` of `text` and its content ends at `end` (sticky expressions, so no line
 * is copied out of the object's text).
 */
const STARTS_RIGHT: Partial<Record<Config["format"], RegExp>> = {
  "json-stream": /\{/y,
  "json-stream-timestamp": /\S+[ \t]\{/y,
};
const SPACES = /\s*/y;
const SPACE = /\s/;

/** Where the line's content ends once trailing white space is left out (as trimEnd does). */
function trimmedEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start) {
    const c = text.charCodeAt(e - 1);
    if (c === 32 || (c >= 9 && c <= 13) || (c > 127 && SPACE.test(text[e - 1]!))) e--;
    else break;
  }
  return e;
}

/** Bytes decoded at a time: a string this size is young-generation garbage, cheap to collect. */
const SEGMENT = 32 * 1024;

/**
 * The records of an export that mention the package, as rows, with their own line numbers. Only
 * those lines are parsed (a CSV's header always is); a line of a JSON format that cannot be a
 * record is reported as malformed without being parsed. The mentions are found by one search over
 * each piece of text, not a test per line: a month of exports is a million lines, a few of them
 * wanted. An object's bytes are decoded a few dozen KiB at a time, cut at line ends (a newline
 * byte is never inside a UTF-8 character): one string per object put every object's text in
 * V8's large-object space, and the collector spent a tenth of a cold run on them.
 */
export function scanExport(
  content: string | Buffer,
  format: Config["format"],
  mentions: RegExp,
  toRow: (r: LogRecord, line: number) => Row | undefined,
): { rows: Row[]; malformed: Array<{ line: number; message: string }> } {
  const rows: Row[] = [];
  const malformed: Array<{ line: number; message: string }> = [];
  const find = new RegExp(mentions.source, `${mentions.flags.replace(/[gy]/g, "")}g`);
  const startsRight = STARTS_RIGHT[format];
  let header: string[] | undefined;
  let lineNo = 0;

  /** Lines of one piece of text, which ends at a line's end (or the content's). */
  const scan = (text: string, first: boolean) => {
    // The first match at or after `from` (a match never spans lines: the pattern has no line break).
    const nextMatch = (from: number) => {
      find.lastIndex = from;
      return find.exec(text)?.index ?? Number.POSITIVE_INFINITY;
    };
    let start = first && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let hit = nextMatch(start);
    while (start < text.length) {
      lineNo++;
      let next = text.indexOf("\n", start);
      if (next < 0) next = text.length;
      const end = next > start && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
      const lineStart = start;
      start = next + 1;
      SPACES.lastIndex = lineStart;
      SPACES.test(text);
      if (SPACES.lastIndex >= end) continue; // blank
      if (format === "csv" && !header) {
        header = parseCsvLine(text.slice(lineStart, end)).map((h) => h.trim());
        continue;
      }
      if (hit < lineStart) hit = nextMatch(lineStart);
      if (hit >= end) {
        if (startsRight) {
          startsRight.lastIndex = lineStart;
          const right = startsRight.test(text) && text.charCodeAt(trimmedEnd(text, lineStart, end) - 1) === 125; // }
          if (!right) malformed.push({ line: lineNo, message: "not a record of this format" });
        }
        continue;
      }
      const line = text.slice(lineStart, end);
      let record: LogRecord | undefined;
      if (format === "csv") {
        try {
          const cells = parseCsvLine(line);
          if (cells.length !== header!.length)
            throw new Error(`expected ${header!.length} columns, found ${cells.length}`);
          record = Object.fromEntries(header!.map((h, k) => [h, cells[k]]));
        } catch (e) {
          malformed.push({ line: lineNo, message: (e as Error).message });
        }
      } else {
        const parsed = parseExport(line, format);
        if (parsed.errors.length > 0) malformed.push({ line: lineNo, message: parsed.errors[0]!.message });
        record = parsed.records[0];
      }
      const row = record && toRow(record, lineNo);
      if (row) rows.push(row);
    }
  };

  if (typeof content === "string") scan(content, true);
  else
    for (let at = 0; at < content.length; ) {
      const newline = content.indexOf(10, at + SEGMENT);
      const end = newline < 0 ? content.length : newline + 1;
      scan(content.toString("utf8", at, end), at === 0);
      at = end;
    }
  return { rows, malformed };
}

export { logFolder };
