/**
 * The SQL the Athena engine sends, judged from outside: parsed by a Trino grammar (dt-sql-parser's
 * TrinoSQL, built from Trino's own ANTLR grammar), then executed by DuckDB over tables filled the
 * way the Glue tables' SerDes read the objects (each table's own input.regex, a CSV read by
 * DuckDB's reader with the header skipped, CloudTrail records with lower-cased names). DuckDB
 * gets Trino's functions from the compatibility layer (sql.ts's PRESTO_MACROS). For every export
 * format, the rows must be exactly those the local engine finds in the same lines; the only
 * difference allowed is the line number, which Athena does not know.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { TrinoSQL } from "dt-sql-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import type { ExportFormat } from "../../src/config/schema.js";
import { queryLocal } from "../../src/investigate/engine-local.js";
import { scanExport } from "../../src/investigate/gather.js";
import { mentionPattern, mentionsPackage, normalName, parsePackageSpec } from "../../src/investigate/package-spec.js";
import { auditRow, codeArtifactRow, downloadRow, fromFlat, type Row } from "../../src/investigate/rows.js";
import { investigationSql, PRESTO_MACROS, positional, withRelation } from "../../src/investigate/sql.js";
import { namedQueries } from "../../src/query/named-queries.js";
import { athenaRelation } from "../../src/query/relation.js";
import {
  AUDIT_CSV_COLUMNS,
  CLIENT_CSV_COLUMNS,
  CLOUDTRAIL_COLUMNS,
  type TableSpec,
  tableSpecs,
} from "../../src/query/tables.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const clientFixture = fixture("cloudsmith-client-log.json-stream");
const auditFixture = JSON.parse(fixture("cloudsmith-audit-log-page.json")) as unknown;
const trailFixture = JSON.parse(fixture("cloudtrail-codeartifact.json")) as unknown;

const BUCKET = "cloudsmith-acme-logs";
const FORMATS: ExportFormat[] = ["json-stream", "json-stream-timestamp", "csv", "apache"];
const configOf = (format: ExportFormat) =>
  parseConfig({
    accountId: "123456789012",
    region: "us-east-1",
    bucket: { name: BUCKET },
    logTypes: { client: { prefix: "client-logs" }, audit: { prefix: "audit-logs" } },
    externalId: "cs-ext-0123456789",
    format,
    query: { athena: {} },
  }).config;

// ---- the data: the vendors' sample records, varied -------------------------------------------

const base = JSON.parse(clientFixture.trim()) as Record<string, unknown>;
interface Download {
  time: string;
  name: string;
  version: string;
  format: string;
  user?: string;
  token?: string;
  ip: string;
  agent: string;
}
const downloads: Download[] = [
  {
    time: "2026-11-03T10:00:00+00:00",
    name: "lodash",
    version: "4.17.20",
    format: "npm",
    user: "alice",
    ip: "203.0.113.1",
    agent: "npm/10.8.1",
  },
  {
    time: "2026-11-03T11:30:05+01:00",
    name: "lodash",
    version: "4.17.21",
    format: "npm",
    token: "tok-1",
    ip: "203.0.113.2",
    agent: "yarn/1.22",
  },
  {
    time: "2026-11-04T09:00:00+00:00",
    name: "lodash-es",
    version: "4.17.20",
    format: "npm",
    user: "bob",
    ip: "203.0.113.3",
    agent: "npm/10",
  },
  {
    time: "2026-11-05T00:00:00Z",
    name: "left-pad",
    version: "1.3.0",
    format: "npm",
    user: "carol",
    ip: "203.0.113.4",
    agent: "npm/9",
  },
  {
    time: "2025-01-01T00:00:00Z",
    name: "lodash",
    version: "4.17.19",
    format: "npm",
    user: "dave",
    ip: "203.0.113.5",
    agent: "npm/8",
  },
];
const uriOf = (d: Download) => `/npm/acme/${d.name}/-/${d.name}-${d.version}.tgz`;
const jsonRecord = (d: Download) => ({
  ...base,
  datetime: d.time,
  format: d.format === "npm" ? "NPM" : d.format,
  package: { ...(base.package as object), name: d.name, version: d.version },
  user: d.user ? { identifier: "x", username: d.user } : null,
  token: d.token ?? null,
  ip_address: d.ip,
  user_agent: { raw: d.agent },
  uri: uriOf(d),
  request_id: `req-${d.ip}`,
});
const apacheTime = (iso: string) => {
  const t = new Date(iso);
  const mon = "JanFebMarAprMayJunJulAugSepOctNovDec".slice(t.getUTCMonth() * 3, t.getUTCMonth() * 3 + 3);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(t.getUTCDate())}/${mon}/${t.getUTCFullYear()}:${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +0000`;
};
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function clientText(format: ExportFormat): string {
  const malformed = '{"datetime": "2026-11-03T10:00:00Z", "package": {"name": "lodash"'; // cut off
  switch (format) {
    case "json-stream":
      return [...downloads.map((d) => JSON.stringify(jsonRecord(d))), malformed].join("\n");
    case "json-stream-timestamp":
      return [
        ...downloads.map((d, i) => `${d.time}${i % 2 ? "\t" : " "}${JSON.stringify(jsonRecord(d))}`),
        `2026-11-03T10:00:00Z ${malformed}`,
      ].join("\n");
    case "csv":
      return [
        CLIENT_CSV_COLUMNS.join(","),
        ...downloads.map((d) => {
          const r: Record<string, unknown> = {
            ...jsonRecord(d),
            package: "pkgid",
            user: d.user ?? "",
            user_agent: d.agent,
            token: d.token ?? "",
          };
          return CLIENT_CSV_COLUMNS.map((c) => csvCell(r[c])).join(",");
        }),
      ].join("\n");
    case "apache":
      return [
        ...downloads.map(
          (d) =>
            `${d.ip} - ${d.token ?? "-"} [${apacheTime(d.time)}] "GET ${uriOf(d)} " 200 2150 - "${d.agent}" eula:none`,
        ),
        "lodash is not an Apache line",
      ].join("\n");
  }
}

const auditBase = (auditFixture as Array<Record<string, unknown>>)[0]!;
const audits: Array<Record<string, unknown>> = [
  {
    ...auditBase,
    event: "Package.Delete",
    object: "lodash",
    context: "Package",
    event_at: "2026-11-03T12:00:00Z",
    uuid: "a-1",
  },
  {
    ...auditBase,
    event: "Repository.Update",
    object: "lodash",
    context: "Repository",
    event_at: "2026-11-04T12:00:00Z",
    uuid: "a-2",
    actor_kind: "",
  },
  { ...auditBase, event: "Package.Create", object: "lodash-es", event_at: "2026-11-04T12:00:00Z", uuid: "a-3" },
];
function auditText(format: ExportFormat): string | undefined {
  if (format === "apache") return undefined;
  if (format === "csv")
    return [
      AUDIT_CSV_COLUMNS.join(","),
      ...audits.map((a) => AUDIT_CSV_COLUMNS.map((c) => csvCell(a[c])).join(",")),
    ].join("\n");
  return audits
    .map((a) => (format === "json-stream-timestamp" ? `${a.event_at} ${JSON.stringify(a)}` : JSON.stringify(a)))
    .join("\n");
}

const read = (trailFixture as { Records: Array<Record<string, unknown>> }).Records.find(
  (r) => r.eventName === "ReadFromRepository",
)!;
const rp = read.requestParameters as Record<string, unknown>;
const trailRecords: Array<Record<string, unknown>> = [
  { ...read, eventID: "e-1", eventTime: "2026-11-03T10:05:00Z" },
  {
    ...read,
    eventID: "e-2",
    eventTime: "2026-11-04T10:05:00Z",
    requestParameters: { ...rp, packageVersion: "4.17.21" },
  },
  {
    ...read,
    eventID: "e-3",
    eventTime: "2026-11-04T11:00:00Z",
    eventName: "PublishPackageVersion",
    errorCode: "AccessDenied",
  },
  {
    ...read,
    eventID: "e-4",
    eventTime: "2026-11-04T12:00:00Z",
    requestParameters: { ...rp, packageNamespace: "types" },
  },
  {
    ...read,
    eventID: "e-5",
    eventTime: "2026-11-04T13:00:00Z",
    eventSource: "s3.amazonaws.com",
    eventName: "GetObject",
  },
];
const trailKey =
  "cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/03/123456789012_CloudTrail_us-east-1_20261103T1010Z_abc.json.gz";

// ---- Athena's reading of the objects, emulated in DuckDB from the tables' own definitions -----

/** Hive's type names as DuckDB's. */
function duckType(hive: string): string {
  let i = 0;
  const parse = (): string => {
    const m = /^[a-z]+/.exec(hive.slice(i))!;
    i += m[0].length;
    const name = m[0];
    if (name === "string") return "VARCHAR";
    if (name === "array") {
      i++; // <
      const t = parse();
      i++; // >
      return `${t}[]`;
    }
    if (name === "map") {
      i++;
      const k = parse();
      i++; // ,
      const v = parse();
      i++;
      return `MAP(${k}, ${v})`;
    }
    if (name === "struct") {
      i++;
      const fields: string[] = [];
      for (;;) {
        const f = /^[a-z0-9_]+/.exec(hive.slice(i))![0];
        i += f.length + 1; // name:
        fields.push(`"${f}" ${parse()}`);
        if (hive[i++] === ">") break;
      }
      return `STRUCT(${fields.join(", ")})`;
    }
    throw new Error(`no DuckDB type for ${name}`);
  };
  return parse();
}

const lower = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(lower)
    : v && typeof v === "object"
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), lower(x)]))
      : v;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-athena-sql-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadTable(
  con: Awaited<ReturnType<DuckDBInstance["connect"]>>,
  t: TableSpec,
  text: string,
  key: string,
): Promise<void> {
  const path = `s3://${BUCKET}/${key}`;
  const name = `cloudsmith_logs.${t.name}`;
  const file = join(dir, `${randomBytes(6).toString("hex")}`);
  if (t.serde.library.endsWith("RegexSerDe")) {
    // RegexSerDe: the whole line must match; a line that does not is a row of NULLs.
    const re = new RegExp(t.serde.parameters["input.regex"]!);
    const rows = text.split("\n").map((line) => {
      const m = re.exec(line);
      return Object.fromEntries([["$path", path], ...t.columns.map((c, k) => [c.name, m ? (m[k + 1] ?? null) : null])]);
    });
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join("\n"));
  } else if (t.serde.library.endsWith("OpenCSVSerde")) {
    await writeFile(`${file}.csv`, text);
    const cols = t.columns.map((c) => `'${c.name}': 'VARCHAR'`).join(", ");
    await con.run(
      `CREATE TABLE ${name} AS SELECT '${path}' AS "$path", * FROM read_csv('${file}.csv', header = false, skip = ${t.parameters["skip.header.line.count"]}, quote = '"', escape = '"', columns = {${cols}})`,
    );
    return;
  } else {
    throw new Error(`no emulation for ${t.serde.library}`);
  }
  const cols = ["'$path': 'VARCHAR'", ...t.columns.map((c) => `'${c.name}': '${duckType(c.type)}'`)].join(", ");
  await con.run(
    `CREATE TABLE ${name} AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${cols}})`,
  );
}

async function loadTrail(con: Awaited<ReturnType<DuckDBInstance["connect"]>>): Promise<void> {
  const file = join(dir, `${randomBytes(6).toString("hex")}.ndjson`);
  const stringCols = new Set(CLOUDTRAIL_COLUMNS.filter((c) => c.type === "string").map((c) => c.name));
  const rows = trailRecords.map((r) => {
    const l = lower(r) as Record<string, unknown>;
    for (const k of Object.keys(l))
      if (stringCols.has(k) && l[k] !== null && typeof l[k] === "object")
        l[k] = JSON.stringify(r[Object.keys(r).find((x) => x.toLowerCase() === k)!]);
    return {
      ...l,
      $path: `s3://${BUCKET}/${trailKey}`,
      account: "123456789012",
      region: "us-east-1",
      day: "2026/11/03",
    };
  });
  await writeFile(file, rows.map((r) => JSON.stringify(r)).join("\n"));
  const cols = [
    "'$path': 'VARCHAR'",
    ...CLOUDTRAIL_COLUMNS.map((c) => `'${c.name}': '${duckType(c.type).replace(/'/g, "''")}'`),
    "'account': 'VARCHAR'",
    "'region': 'VARCHAR'",
    "'day': 'VARCHAR'",
  ].join(", ");
  await con.run(
    `CREATE TABLE cloudsmith_logs.cloudtrail_logs AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${cols}})`,
  );
}

const SPEC = parsePackageSpec("npm:lodash");
const WINDOW = { from: "2026-11-01T00:00:00Z", to: "2026-11-30T00:00:00Z" };
const params = {
  ...WINDOW,
  name: normalName(SPEC.format, SPEC.name),
  raw_name: SPEC.name,
  format: SPEC.format,
  principal: "",
  ip: "",
  mention: mentionPattern(SPEC),
  from_day: "2026/10/31",
  to_day: "2026/11/30",
};

/** What the local engine finds in the same lines (its own parsers and normaliser). */
async function localRows(format: ExportFormat): Promise<Row[]> {
  const mentions = mentionsPackage(SPEC);
  const candidates: Row[] = [
    ...scanExport(clientText(format), format, mentions, (r, line) =>
      downloadRow(r, { bucket: BUCKET, key: "client-logs/a.log", line }),
    ).rows,
    ...(auditText(format) === undefined
      ? []
      : scanExport(auditText(format)!, format, mentions, (r, line) =>
          auditRow(r, { bucket: BUCKET, key: "audit-logs/a.log", line }),
        ).rows),
    ...trailRecords.flatMap((r) => codeArtifactRow(r, { bucket: BUCKET, key: trailKey }) ?? []),
  ];
  return queryLocal({ rows: candidates, scratchDir: dir, ...WINDOW, format: "npm", name: "lodash", rawName: "lodash" });
}

const withoutLine = (r: Row): Row => ({ ...r, object: { ...r.object, line: undefined } as Row["object"] });
const strip = (rows: Row[]) =>
  rows
    .map((r) => JSON.parse(JSON.stringify(withoutLine(r))))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("the Athena engine's SQL", () => {
  it.each(FORMATS)("%s: a Trino grammar parses the bound query and the named query", (format) => {
    const cfg = configOf(format);
    const athena = cfg.query!.athena!;
    const sql = withRelation(investigationSql("npm"), athenaRelation(cfg, athena));
    const bound = positional(sql, params);
    const trino = new TrinoSQL();
    expect(trino.validate(bound.sql)).toEqual([]);
    for (const q of namedQueries(cfg, athena)) expect(trino.validate(q.query)).toEqual([]);
    // The grammar is no rubber stamp: a broken query is refused.
    expect(trino.validate(bound.sql.replace("UNION ALL", "UNION ALL ALL")).length).toBeGreaterThan(0);
    // Every parameter bound, none left in the text; "$path" stays a column.
    const code = bound.sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, "");
    expect(code).not.toContain("$");
    expect(bound.sql).toContain('"$path"');
    expect(bound.values.length).toBe((code.match(/\?/g) ?? []).length);
  });

  it.each(FORMATS)(
    "%s: DuckDB running Athena's SQL over the tables finds exactly the local engine's rows",
    async (format) => {
      const cfg = configOf(format);
      const athena = cfg.query!.athena!;
      const specs = tableSpecs(cfg, athena);
      const instance = await DuckDBInstance.create(":memory:");
      const con = await instance.connect();
      try {
        await con.run("CREATE SCHEMA cloudsmith_logs");
        for (const m of PRESTO_MACROS) await con.run(m);
        for (const t of specs) {
          if (t.source === "client") await loadTable(con, t, clientText(format), "client-logs/a.log");
          if (t.source === "audit") await loadTable(con, t, auditText(format)!, "audit-logs/a.log");
          if (t.source === "cloudtrail") await loadTrail(con);
        }
        const sql = withRelation(investigationSql("npm"), athenaRelation(cfg, athena));
        const reader = await con.runAndReadAll(sql, params);
        const athenaRows = reader.getRowObjectsJS().map((v) => fromFlat(v as Record<string, unknown>));
        const local = await localRows(format);
        expect(strip(athenaRows)).toEqual(strip(local));
        // The answer is not empty: every source found lodash; left-pad never came back, nor lodash-es where
        // the log names the package (CSV and Apache lines are matched by URI, which lodash-es's contains).
        const sources = new Set(athenaRows.map((r) => r.source));
        expect(sources).toEqual(
          new Set(
            format === "apache"
              ? ["cloudsmith-download", "codeartifact"]
              : ["cloudsmith-download", "codeartifact", "cloudsmith-audit"],
          ),
        );
        expect(athenaRows.every((r) => !/left-pad/.test(`${r.package.name} ${r.uri}`))).toBe(true);
        if (format.startsWith("json"))
          expect(athenaRows.every((r) => !/lodash-es/.test(`${r.package.name} ${r.uri}`))).toBe(true);
        // The window holds: the 2025 download is out.
        expect(athenaRows.some((r) => r.time.startsWith("2025"))).toBe(false);
      } finally {
        con.closeSync();
        instance.closeSync();
      }
    },
  );
});
