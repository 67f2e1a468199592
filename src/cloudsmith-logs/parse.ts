/**
 * Parsers for Cloudsmith's export formats. Object names and compression are
 * undocumented, so callers pass decompressed text; lines may end in CRLF and
 * the text may start with a BOM. Each parser reports records and the line
 * number of every line it could not read.
 */
import type { ExportFormat, LogType } from "../config/schema.js";

export type LogRecord = Record<string, unknown>;

export interface ParseResult {
  records: LogRecord[];
  errors: Array<{ line: number; message: string }>;
  /** Non-empty lines read (header excluded). */
  lines: number;
}

const APACHE = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "(\S+) (.*?) ?" (\d{3}) (\d+|-) (\S+) "((?:[^"\\]|\\.)*)" eula:(\S*)$/;

/** One CSV line (RFC 4180 quoting); throws on an unterminated quote. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      out.push(field);
      field = "";
    } else field += c;
  }
  if (quoted) throw new Error("unterminated quoted field");
  out.push(field);
  return out;
}

function parseJsonObject(text: string): LogRecord {
  const value = JSON.parse(text) as unknown;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not a JSON object");
  return value as LogRecord;
}

export function parseExport(text: string, format: ExportFormat): ParseResult {
  const all = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const result: ParseResult = { records: [], errors: [], lines: 0 };
  let header: string[] | undefined;
  all.forEach((raw, i) => {
    const line = raw;
    const lineNo = i + 1;
    if (line.trim() === "") return;
    try {
      switch (format) {
        case "json-stream":
          result.lines++;
          result.records.push(parseJsonObject(line));
          break;
        case "json-stream-timestamp": {
          result.lines++;
          // A timestamp, exactly one whitespace character (space or tab), then the object.
          const m = /^(\S+)[ \t](\{.*)$/.exec(line);
          if (!m) throw new Error("expected '<timestamp> <json object>'");
          if (Number.isNaN(Date.parse(m[1]!))) throw new Error(`'${m[1]}' is not a timestamp`);
          result.records.push({ ...parseJsonObject(m[2]!), _timestamp: m[1] });
          break;
        }
        case "csv": {
          if (!header) {
            header = parseCsvLine(line).map((h) => h.trim());
            if (header.length < 2) throw new Error("expected a CSV header line");
            return;
          }
          result.lines++;
          const cells = parseCsvLine(line);
          if (cells.length !== header.length)
            throw new Error(`expected ${header.length} columns, found ${cells.length}`);
          result.records.push(Object.fromEntries(header.map((h, k) => [h, cells[k]])));
          break;
        }
        case "apache": {
          result.lines++;
          const m = APACHE.exec(line);
          if (!m) throw new Error("not an Apache-style log line");
          const [, ip, , token, datetime, method, uri, status, bytes, referer, agent, eula] = m;
          result.records.push({
            ip_address: ip,
            token,
            datetime,
            method,
            uri,
            status: Number(status),
            bytes: bytes === "-" ? null : Number(bytes),
            referer,
            user_agent: agent,
            eula,
          });
          break;
        }
      }
    } catch (e) {
      result.errors.push({ line: lineNo, message: (e as Error).message });
    }
  });
  return result;
}

/** Fields every record of a log type should have (by name, in any format). */
export const EXPECTED_FIELDS: Record<LogType, string[]> = {
  client: ["datetime", "method", "uri", "status"],
  audit: ["event", "event_at", "actor"],
};

const filled = (v: unknown): boolean => v !== undefined && v !== null && v !== "" && v !== "-" && v !== "none";

/** Which configured-out field groups a record still carries (with a value). */
export const EXCLUDED_FIELD_KEYS: Record<string, string[]> = {
  ip: ["ip_address", "actor_ip_address"],
  geo: ["location", "city", "country", "country_code", "latitude", "longitude", "actor_location"],
  eula: ["eula"],
  namespace: ["namespace"],
  repository: ["repository"],
};

export function excludedFieldsPresent(record: LogRecord, excluded: readonly string[]): string[] {
  return excluded.filter((group) => (EXCLUDED_FIELD_KEYS[group] ?? []).some((k) => filled(record[k])));
}

export function missingFields(record: LogRecord, logType: LogType): string[] {
  return EXPECTED_FIELDS[logType].filter((f) => !(f in record));
}
