/**
 * What `investigate` prints: a table for people (80 columns), JSON with the rows, a summary and
 * what each source read (documented schema), CSV, or NDJSON (one row per line and nothing else).
 * Every string from a log passes the terminal escaping in the table; JSON escapes C1 controls and
 * bidi overrides as \u escapes.
 */
import { jsonLine } from "../cloudsmith-api/event-file.js";
import { printable } from "../util/printable.js";
import type { SourceReport, Window } from "./gather.js";
import type { PackageSpec } from "./package-spec.js";
import type { Row } from "./rows.js";

export type InvestigateOutput = "table" | "json" | "csv" | "ndjson";

export interface Summary {
  rows: number;
  bySource: Record<string, number>;
  byVersion: Record<string, number>;
  byPrincipal: Record<string, number>;
  firstSeen: string | null;
  lastSeen: string | null;
}

export function summarize(rows: readonly Row[]): Summary {
  const count = (key: (r: Row) => string) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  };
  return {
    rows: rows.length,
    bySource: count((r) => r.source),
    byVersion: count((r) => r.package.version ?? "(unknown)"),
    byPrincipal: count((r) => r.principal ?? "(unknown)"),
    firstSeen: rows[0]?.time ?? null,
    lastSeen: rows[rows.length - 1]?.time ?? null,
  };
}

const CSV_COLUMNS: Array<[string, (r: Row) => unknown]> = [
  ["source", (r) => r.source],
  ["time", (r) => r.time],
  ["format", (r) => r.package.format],
  ["name", (r) => r.package.name],
  ["version", (r) => r.package.version],
  ["repository", (r) => r.repository],
  ["principal", (r) => r.principal],
  ["ip", (r) => r.ip],
  ["user_agent", (r) => r.userAgent],
  ["status", (r) => r.status],
  ["action", (r) => r.action],
  ["request_id", (r) => r.requestId],
  ["bucket", (r) => r.object.bucket],
  ["key", (r) => r.object.key],
  ["line", (r) => r.object.line],
  ["event_id", (r) => r.object.eventId],
  ["integrity", (r) => r.integrity],
];

/** RFC 4180, and a leading = + - @ quoted with an apostrophe so a spreadsheet never runs it. */
const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function render(
  out: InvestigateOutput,
  data: { spec: PackageSpec; window: Window; rows: readonly Row[]; sources: readonly SourceReport[] },
): string {
  const { rows } = data;
  switch (out) {
    case "ndjson":
      return rows.map((r) => `${jsonLine(r)}\n`).join("");
    case "csv":
      return [
        CSV_COLUMNS.map(([h]) => h).join(","),
        ...rows.map((r) => CSV_COLUMNS.map(([, f]) => csvCell(f(r))).join(",")),
      ]
        .map((l) => `${l}\r\n`)
        .join("");
    case "json":
      return `${jsonLine({
        reportVersion: 1,
        package: data.spec.text,
        window: { from: data.window.from.toISOString(), to: data.window.to.toISOString() },
        summary: summarize(rows),
        sources: data.sources,
        rows,
      })}\n`;
    case "table": {
      const s = summarize(rows);
      // 78 columns: time to the minute, the source in short, then version, who and from where,
      // each cut to its column (the full values are in --output json, csv or ndjson).
      const header = `${"time (UTC)".padEnd(16)}  ${"src".padEnd(5)}  ${"version".padEnd(10)}  ${"who".padEnd(24)}  ip`;
      const lines = rows.map((r) =>
        [
          r.time.slice(0, 16).replace("T", " "),
          SHORT_SOURCE[r.source].padEnd(5),
          cell(r.package.version ?? "-", 10),
          cell(r.principal ?? "-", 24),
          cell(r.ip ?? "-", 15),
        ]
          .join("  ")
          .trimEnd(),
      );
      const wrap = (text: string) => wrapText(text, 78);
      const summary = [
        ...wrap(
          `${s.rows} request(s) for ${printable(data.spec.text, 60)}${s.firstSeen ? `, ${s.firstSeen} to ${s.lastSeen}` : ""}`,
        ),
        ...Object.entries(s.bySource).map(([k, n]) => `  ${SHORT_SOURCE[k as Row["source"]]} = ${k}: ${n}`),
        ...(rows.length > 0
          ? wrap(
              `  versions: ${Object.entries(s.byVersion)
                .map(([k, n]) => `${cell(k, 30)} (${n})`)
                .join(", ")}`,
            )
          : []),
      ];
      return `${[...(lines.length ? [header, ...lines, ""] : []), ...summary].join("\n")}\n`;
    }
  }
}

const SHORT_SOURCE: Record<Row["source"], string> = {
  "cloudsmith-download": "cs",
  codeartifact: "ca",
  "cloudsmith-audit": "audit",
};

/** A value escaped for the terminal and cut to `width` columns (an ellipsis marks the cut), padded. */
function cell(value: string, width: number): string {
  const safe = printable(value, 1000);
  return (safe.length > width ? `${safe.slice(0, width - 1)}…` : safe).padEnd(width);
}

/** Words onto lines of at most `width` columns; the first line as is, the rest indented. */
function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  const lead = /^ */.exec(text)![0];
  let line = "";
  for (const word of text.trimStart().split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      out.push(line);
      line = `    ${word}`;
    } else line = line === "" ? `${lead}${word}` : `${line} ${word}`;
  }
  if (line !== "") out.push(line);
  return out;
}
