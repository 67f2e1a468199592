/**
 * scanExport finds the package's lines with one search over the whole object, not a test per
 * line. It must answer exactly as the plain way does: split the text into lines, test each line,
 * parse those that mention the package. That plain way is written out here as the reference, and
 * both read the same generated exports: CRLF and LF, a BOM, blank and white-space-only lines,
 * several mentions on a line or on neighbouring lines, broken records, and CSV with its header.
 */
import { describe, expect, it } from "vitest";
import { parseCsvLine, parseExport } from "../../src/cloudsmith-logs/parse.js";
import type { Config } from "../../src/config/schema.js";
import { scanExport } from "../../src/investigate/gather.js";
import { mentionsPackage, parsePackageSpec } from "../../src/investigate/package-spec.js";

type Format = Config["format"];

/** The plain way: a line at a time. */
function reference(text: string, format: Format, mentions: RegExp) {
  const found: Array<{ line: number; name: unknown }> = [];
  const malformed: Array<{ line: number; message: string }> = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let header: string[] | undefined;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    if (format === "csv" && !header) {
      header = parseCsvLine(line).map((h) => h.trim());
      return;
    }
    if (!mentions.test(line)) {
      const wrong =
        format === "json-stream"
          ? !(line.startsWith("{") && line.trimEnd().endsWith("}"))
          : format === "json-stream-timestamp"
            ? !(/^\S+[ \t]\{/.test(line) && line.trimEnd().endsWith("}"))
            : false;
      if (wrong) malformed.push({ line: i + 1, message: "not a record of this format" });
      return;
    }
    if (format === "csv") {
      const cells = parseCsvLine(line);
      if (cells.length !== header!.length)
        malformed.push({ line: i + 1, message: `expected ${header!.length} columns, found ${cells.length}` });
      else found.push({ line: i + 1, name: cells[header!.indexOf("package_name")] });
      return;
    }
    const parsed = parseExport(line, format);
    if (parsed.errors.length > 0) malformed.push({ line: i + 1, message: parsed.errors[0]!.message });
    const r = parsed.records[0] as { package?: { name?: unknown }; package_name?: unknown } | undefined;
    if (r) found.push({ line: i + 1, name: r.package?.name ?? r.package_name });
  });
  return { found, malformed };
}

function scanned(text: string | Buffer, format: Format, mentions: RegExp) {
  const found: Array<{ line: number; name: unknown }> = [];
  const { malformed } = scanExport(text, format, mentions, (r, line) => {
    const rec = r as { package?: { name?: unknown }; package_name?: unknown };
    found.push({ line, name: rec.package?.name ?? rec.package_name });
    return undefined;
  });
  return { found, malformed };
}

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NAMES = ["lodash", "LoDash", "lodash.merge", "lodash-es", "left-pad", "Django", "django_rest", "zope"];
const EOLS = ["\n", "\r\n"];
const PADDING = ["", " ", "\t", " \u00a0", "\u2003"];

function record(rand: () => number, n: number) {
  const name = NAMES[Math.floor(rand() * NAMES.length)]!;
  // Now and then a second mention of the package in the same record.
  const ua = rand() < 0.2 ? "npm/10 lodash-cli" : "npm/10";
  return {
    name,
    json: JSON.stringify({
      datetime: "2026-11-30T08:00:00+00:00",
      package: { name, version: `1.${n}.0` },
      user_agent: { raw: ua },
    }),
  };
}

function exportText(rand: () => number, format: Format, lines: number): string {
  const eol = EOLS[Math.floor(rand() * 2)]!;
  const out: string[] = [];
  if (format === "csv") out.push("datetime,package_name,package_version,user_agent");
  for (let i = 0; i < lines; i++) {
    const roll = rand();
    const pad = PADDING[Math.floor(rand() * PADDING.length)]!;
    if (roll < 0.08) {
      out.push(pad); // blank or white space only
      continue;
    }
    const { name, json } = record(rand, i);
    if (roll < 0.16) {
      out.push(`${json.slice(0, Math.floor(json.length / 2))}`); // cut short
      continue;
    }
    if (roll < 0.2) {
      out.push(`garbage ${name} ${pad}`);
      continue;
    }
    if (format === "csv") out.push(`2026-11-30T08:00:00Z,${name},1.${i}.0,npm/10${pad}`);
    else if (format === "json-stream-timestamp")
      out.push(`2026-11-30T08:00:00+00:00${rand() < 0.5 ? " " : "\t"}${json}${pad}`);
    else out.push(`${json}${pad}`);
  }
  const bom = rand() < 0.3 ? "\uFEFF" : "";
  return bom + out.join(eol) + (rand() < 0.5 ? eol : "");
}

describe("scanExport answers as a line-by-line scan does", () => {
  for (const format of ["json-stream", "json-stream-timestamp", "csv"] as Format[])
    it(`${format}: 200 generated exports, several packages`, () => {
      for (let seed = 1; seed <= 200; seed++) {
        const rand = rng(seed);
        const text = exportText(rand, format, 1 + Math.floor(rand() * 60));
        for (const spec of ["npm:lodash", "python:django-rest", "npm:zope", "npm:absent"]) {
          const mentions = mentionsPackage(parsePackageSpec(spec));
          const want = reference(text, format, mentions);
          expect({ seed, spec, ...scanned(text, format, mentions) }).toEqual({ seed, spec, ...want });
        }
      }
    });

  for (const format of ["json-stream", "json-stream-timestamp", "csv"] as Format[])
    it(`${format}: an object's bytes, read in pieces cut at line ends, answer as its whole text`, () => {
      for (let seed = 1; seed <= 4; seed++) {
        const rand = rng(seed * 7919);
        // Hundreds of KiB: many pieces, with CRLF, a BOM and multi-byte characters across them.
        const text = exportText(rand, format, 4000).replace(/lodash-es/g, "lodash-ës");
        for (const spec of ["npm:lodash", "python:django-rest"]) {
          const mentions = mentionsPackage(parsePackageSpec(spec));
          const want = reference(text, format, mentions);
          expect(want.found.length).toBeGreaterThan(100);
          expect({ seed, spec, ...scanned(Buffer.from(text), format, mentions) }).toEqual({ seed, spec, ...want });
        }
      }
    });

  it("finds a mention on the first line, the last line without an end of line, and neighbours", () => {
    const a = JSON.stringify({ package: { name: "lodash", version: "1" } });
    const text = `${a}\r\n${a}\n\n  \n${a}`;
    const { found, malformed } = scanned(text, "json-stream", mentionsPackage(parsePackageSpec("npm:lodash")));
    expect(found.map((f) => f.line)).toEqual([1, 2, 5]);
    expect(malformed).toEqual([]);
  });

  it("reports a line that cannot be a record, with its own number, and never stops", () => {
    const a = JSON.stringify({ package: { name: "other", version: "1" } });
    const text = `${a}\nnot json\n${a}\n{"package": {"name": "lodash"`;
    const { found, malformed } = scanned(text, "json-stream", mentionsPackage(parsePackageSpec("npm:lodash")));
    expect(found).toEqual([]);
    expect(malformed.map((m) => m.line)).toEqual([2, 4]);
  });
});
