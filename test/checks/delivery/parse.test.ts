import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { excludedFieldsPresent, missingFields, parseCsvLine, parseExport } from "../../../src/cloudsmith-logs/parse.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");

describe("export formats (Cloudsmith's documented samples)", () => {
  it("JSON Stream", () => {
    const r = parseExport(fixture("cloudsmith-client-log.json-stream"), "json-stream");
    expect(r.errors).toEqual([]);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({
      method: "GET",
      status: 200,
      ip_address: "3.234.139.83",
      repository: "testing-private",
    });
    expect(missingFields(r.records[0]!, "client")).toEqual([]);
  });
  it("JSON Stream + Timestamp, with a space or a tab after the timestamp", () => {
    const text = fixture("cloudsmith-client-log.json-stream-timestamp");
    const withTab = text.replace(/^(\S+) /, "$1\t");
    for (const t of [text, withTab]) {
      const r = parseExport(t, "json-stream-timestamp");
      expect(r.errors).toEqual([]);
      expect(r.records[0]).toMatchObject({ _timestamp: "2024-05-30T15:14:27+00:00", method: "GET", status: 200 });
    }
  });
  it("CSV by header name, whatever the column order", () => {
    const text = fixture("cloudsmith-client-log.csv");
    const r = parseExport(text, "csv");
    expect(r.errors).toEqual([]);
    expect(r.records[0]).toMatchObject({
      datetime: "2021-04-01T19:40:55+00:00",
      status: "200",
      method: "GET",
      ip_address: "82.1.4.8",
      user_agent: "libdnf",
    });
    const [header, row] = text.trim().split("\n");
    const reorder = (l: string) => {
      const c = parseCsvLine(l);
      return [c[3], c[0], ...c.slice(1, 3), ...c.slice(4)].join(",");
    };
    const swapped = parseExport(`${reorder(header!)}\n${reorder(row!)}\n`, "csv");
    expect(swapped.records[0]).toEqual(r.records[0]);
  });
  it("Apache style with the trailing eula field", () => {
    const r = parseExport(fixture("cloudsmith-client-log.apache"), "apache");
    expect(r.errors).toEqual([]);
    expect(r.records[0]).toMatchObject({
      ip_address: "3.222.115.18",
      token: "t-6GXPs3OxkOio",
      method: "GET",
      status: 200,
      bytes: 2247,
      user_agent: "Debian APT-HTTP/1.3 (1.6.17)",
      eula: "none",
    });
    expect(missingFields(r.records[0]!, "client")).toEqual([]);
  });
  it("audit-log records have the audit fields", () => {
    const events = JSON.parse(fixture("cloudsmith-audit-log-page.json")) as object[];
    const r = parseExport(events.map((e) => JSON.stringify(e)).join("\n"), "json-stream");
    expect(missingFields(r.records[0]!, "audit")).toEqual([]);
    expect(excludedFieldsPresent(r.records[0]!, ["ip", "geo"])).toEqual(["ip", "geo"]);
  });
});

describe("malformed input", () => {
  it("reports every bad line with its number and keeps the good ones", () => {
    const good = fixture("cloudsmith-client-log.json-stream").trim();
    const r = parseExport(`${good}\n{not json\n\n[1,2]\n${good}\n`, "json-stream");
    expect(r.records).toHaveLength(2);
    expect(r.errors).toEqual([
      { line: 2, message: expect.stringMatching(/JSON/) },
      { line: 4, message: "not a JSON object" },
    ]);
  });
  it("handles CRLF line endings and a BOM", () => {
    const good = fixture("cloudsmith-client-log.json-stream-timestamp").trim();
    const r = parseExport(`\uFEFF${good}\r\n${good}\r\n`, "json-stream-timestamp");
    expect(r.errors).toEqual([]);
    expect(r.records).toHaveLength(2);
    const csv = parseExport(`\uFEFF${fixture("cloudsmith-client-log.csv").replace(/\n/g, "\r\n")}`, "csv");
    expect(csv.errors).toEqual([]);
    expect(csv.records[0]!.datetime).toBe("2021-04-01T19:40:55+00:00");
  });
  it("rejects a missing separator, a bad timestamp, a wrong column count, an unterminated quote and a non-Apache line", () => {
    expect(parseExport('2024-05-30T15:14:27Z{"a":1}', "json-stream-timestamp").errors[0]!.message).toMatch(/expected/);
    expect(parseExport('yesterday {"a":1}', "json-stream-timestamp").errors[0]!.message).toMatch(/not a timestamp/);
    expect(parseExport("a,b\n1,2,3\n", "csv").errors).toEqual([{ line: 2, message: "expected 2 columns, found 3" }]);
    expect(parseExport('a,b\n"1,2\n', "csv").errors[0]!.message).toMatch(/unterminated/);
    expect(parseExport("hello world", "apache").errors[0]!.message).toMatch(/Apache/);
  });
  it("an empty object reads as no records and no errors", () => {
    expect(parseExport("", "json-stream")).toEqual({ records: [], errors: [], lines: 0 });
    expect(parseExport("\n\n", "csv")).toEqual({ records: [], errors: [], lines: 0 });
  });
  it("CSV quoting: commas and doubled quotes inside a field", () => {
    expect(parseCsvLine('a,"b, c","say ""hi"""')).toEqual(["a", "b, c", 'say "hi"']);
  });
});

describe("excluded fields", () => {
  it("flags an excluded field that still has a value, and ignores empty ones", () => {
    expect(
      excludedFieldsPresent({ ip_address: "1.2.3.4", eula: null, location: { city: "x" } }, ["ip", "eula", "geo"]),
    ).toEqual(["ip", "geo"]);
    expect(excludedFieldsPresent({ ip_address: "", eula: "none" }, ["ip", "eula"])).toEqual([]);
  });
});
