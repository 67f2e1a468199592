/**
 * The objects an investigation reads, fetched into the row cache: each export prefix of the
 * config (downloads and the audit log, in the configured format) and the trail's CloudTrail
 * files (CodeArtifact's events) for the window. Listings are pruned by LastModified (exports are
 * written after the requests they hold, so up to a day later is kept), objects are fetched with
 * bounded concurrency, gunzipped by magic bytes, size-capped, and normalised into rows. A source
 * that cannot be read is reported, never silently empty; the others still answer.
 */
import type { Clients } from "../aws/clients.js";
import { describeError } from "../aws/describe-error.js";
import { listObjects, ObjectTooLarge, readObject, s3Uri, streamObject } from "../aws/s3.js";
import { parseExport } from "../cloudsmith-logs/parse.js";
import { dayFolders, logFolder } from "../cloudtrail/layout.js";
import { RecordSplitter } from "../cloudtrail/records.js";
import { exportTargets, keyPrefix } from "../config/derived.js";
import type { Config } from "../config/schema.js";
import { mapBounded } from "../util/map-bounded.js";
import type { CachedObject, RowCache } from "./cache.js";
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
/** As `aws s3 sync` (10): more only queues on the server, and an emulator stalls under it. */
const CONCURRENCY = 8;

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
  cache: RowCache,
  opts: { trail?: () => Promise<{ bucket: string; folder: string }>; onObject?: () => void } = {},
): Promise<{ files: string[]; sources: SourceReport[] }> {
  const files: string[] = [];
  const sources: SourceReport[] = [];
  const bucket = cfg.bucket.name;

  const read = async (
    source: Source,
    location: string,
    list: () => Promise<Listed[]>,
    load: (o: Listed) => Promise<{ rows: Row[]; malformed: Array<{ line: number; message: string }> }>,
  ) => {
    const report: SourceReport = { source, location, objects: 0, fromCache: 0, rows: 0, malformed: [] };
    sources.push(report);
    try {
      const objects = await list();
      report.objects = objects.length;
      const done = await mapBounded(objects, CONCURRENCY, async (o): Promise<CachedObject> => {
        const hit = await cache.get(o);
        opts.onObject?.();
        if (hit) {
          report.fromCache++;
          return hit;
        }
        const { rows, malformed } = await load(o);
        return cache.put(o, rows, malformed);
      });
      done.forEach((d, i) => {
        report.rows += d.rows;
        if (d.rows > 0) files.push(d.rowsFile);
        for (const m of d.malformed)
          if (report.malformed.length < 100) report.malformed.push({ key: objects[i]!.key, ...m });
      });
    } catch (e) {
      report.error = e instanceof ObjectTooLarge ? `${e.message}: not read` : describeError(e);
    }
  };

  const inWindow = (o: { lastModified: Date }) =>
    o.lastModified.getTime() >= win.from.getTime() && o.lastModified.getTime() <= win.to.getTime() + DAY;
  const listPrefix = async (b: string, prefix: string): Promise<Listed[]> => {
    const { objects, truncated } = await listObjects(c, b, prefix, { max: MAX_OBJECTS });
    if (truncated) throw new Error(`more than ${MAX_OBJECTS} objects under ${s3Uri(b, prefix)}: narrow the window`);
    return objects.filter(inWindow).map((o) => ({ bucket: b, ...o }));
  };

  for (const t of exportTargets(cfg)) {
    const prefix = keyPrefix(t.prefix);
    const source: Source = t.logType === "client" ? "cloudsmith-download" : "cloudsmith-audit";
    await read(
      source,
      s3Uri(bucket, prefix),
      () => listPrefix(bucket, prefix),
      async (o) => {
        const obj = await readObject(c, o.bucket, o.key, EXPORT_LIMIT);
        if (!obj) throw new Error(`${s3Uri(o.bucket, o.key)} was deleted while it was being read`);
        const text = obj.body.toString("utf8");
        const parsed = parseExport(text, cfg.format);
        const rows: Row[] = [];
        // parseExport keeps line numbers only for errors: count the records' own lines here.
        const failed = new Set(parsed.errors.map((e) => e.line));
        const lines = recordLines(text, cfg.format).filter((l) => !failed.has(l));
        parsed.records.forEach((r, i) => {
          const where = { bucket: o.bucket, key: o.key, line: lines[i] ?? 0 };
          const row = source === "cloudsmith-download" ? downloadRow(r, where) : auditRow(r, where);
          if (row) rows.push(row);
        });
        return { rows, malformed: parsed.errors };
      },
    );
  }

  if (cfg.cloudtrail.mode !== "none" && opts.trail) {
    const getTrail = opts.trail;
    let location = "(the trail)";
    await read(
      "codeartifact",
      location,
      async () => {
        const { bucket: tb, folder } = await getTrail();
        location = s3Uri(tb, folder);
        sources[sources.length - 1]!.location = location;
        const days = dayFolders(win.from, new Date(win.to.getTime() + 3_600_000));
        const listed = (await mapBounded(days, 8, (day) => listPrefix(tb, `${folder}${day}`))).flat();
        return listed;
      },
      async (o) => {
        const rows: Row[] = [];
        const splitter = new RecordSplitter((record) => {
          const row = codeArtifactRow(record as Record<string, unknown>, { bucket: o.bucket, key: o.key });
          if (row) rows.push(row);
        });
        const read = await streamObject(c, o.bucket, o.key, TRAIL_LIMIT, (chunk) => splitter.push(chunk));
        if (!read) throw new Error(`${s3Uri(o.bucket, o.key)} was deleted while it was being read`);
        splitter.end();
        return { rows, malformed: [] };
      },
    );
  }
  return { files, sources };
}

/** The 1-based line of each record parseExport returns, in order (blank lines and a CSV header skipped). */
export function recordLines(text: string, format: Config["format"]): number[] {
  const out: number[] = [];
  let headerSeen = format !== "csv";
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === "") return;
      if (!headerSeen) {
        headerSeen = true;
        return;
      }
      out.push(i + 1);
    });
  return out;
}

export { logFolder };
