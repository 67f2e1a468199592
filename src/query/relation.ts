/**
 * The Athena side of the investigation: the relation of flat rows (src/investigate/sql.ts's
 * ROW_COLUMNS) built from the query layer's tables, in Trino SQL. It normalises each source as
 * src/investigate/rows.ts does, so both engines answer with the same rows: empty strings and
 * `-` are NULL, times are UTC RFC 3339, formats are Cloudsmith's names, npm scopes and Maven
 * groups are joined to the name. The CloudTrail part reads only the days of the window
 * (partition projection) and only CodeArtifact's events; the export parts keep only lines that
 * mention the package, so the normalisation runs on few rows.
 */

import type { AthenaConfig } from "../config/query-schema.js";
import type { Config } from "../config/schema.js";
import { ROW_COLUMNS } from "../investigate/sql.js";
import { type TableSpec, tableSpecs } from "./tables.js";

/** Cloudsmith's and CodeArtifact's format names to Cloudsmith's (as package-spec.ts's FORMATS). */
const FORMAT_NAMES: Array<[string, string]> = [
  ["pypi", "python"],
  ["generic", "raw"],
];

const nn = (e: string): string => `nullif(nullif(${e}, ''), '-')`;
const utc = (e: string): string =>
  `try(date_format(from_iso8601_timestamp(${e}) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%i:%sZ'))`;
const canonicalFormat = (e: string): string =>
  `CASE lower(${e}) ${FORMAT_NAMES.map(([from, to]) => `WHEN '${from}' THEN '${to}'`).join(" ")} ELSE lower(${e}) END`;
const bucketOf = `regexp_extract("$path", '^s3://([^/]+)/', 1)`;
const keyOf = `regexp_extract("$path", '^s3://[^/]+/(.*)$', 1)`;
const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** One source's SELECT list, in ROW_COLUMNS order. */
function select(cols: Record<string, string>): string {
  return ROW_COLUMNS.map((c) => `${cols[c] ?? "CAST(NULL AS varchar)"} AS ${c}`).join(",\n    ");
}

const INTEGER_NULL = "CAST(NULL AS integer)";

function clientSelect(t: TableSpec, table: string, cfg: Config): string {
  const common = { source: "'cloudsmith-download'", action: "'download'", object_bucket: bucketOf, object_key: keyOf };
  const line = INTEGER_NULL;
  if (cfg.format === "csv" || cfg.format === "apache") {
    const c = (n: string) => nn(`c.${quoteIdent(n)}`);
    const time =
      cfg.format === "apache"
        ? `try(date_format(parse_datetime(c.datetime, 'dd/MMM/yyyy:HH:mm:ss Z') AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%i:%sZ'))`
        : utc("c.datetime");
    const has = (n: string) => t.columns.some((col) => col.name === n);
    return `SELECT\n    ${select({
      ...common,
      time,
      package_format: has("format") ? canonicalFormat(c("format")) : "CAST(NULL AS varchar)",
      repository: has("repository") ? c("repository") : "CAST(NULL AS varchar)",
      principal: `coalesce('user:' || ${has("user") ? c("user") : "NULL"}, 'token:' || ${c("token")})`,
      ip: c("ip_address"),
      user_agent: c("user_agent"),
      status: c("status"),
      request_id: has("request_id") ? c("request_id") : "CAST(NULL AS varchar)",
      uri: c("uri"),
      object_line: line,
    })}\n  FROM ${table} AS c\n  WHERE regexp_like(lower(c.uri), $mention)`;
  }
  const j = (path: string) => nn(`json_extract_scalar(c.record, '$.${path}')`);
  const ts = cfg.format === "json-stream-timestamp" ? "c.ts" : "NULL";
  return `SELECT\n    ${select({
    ...common,
    time: utc(`coalesce(${j("datetime")}, ${ts})`),
    package_format: canonicalFormat(j("format")),
    package_name: j("package.name"),
    package_version: j("package.version"),
    repository: j("repository"),
    principal: `coalesce('user:' || ${j("user.username")}, 'user:' || ${j("user")}, 'token:' || ${j("token")})`,
    ip: j("ip_address"),
    user_agent: `coalesce(${j("user_agent.raw")}, ${j("user_agent")})`,
    status: j("status"),
    request_id: j("request_id"),
    uri: j("uri"),
    object_line: line,
  })}\n  FROM ${table} AS c\n  WHERE regexp_like(lower(c.record), $mention)`;
}

function auditSelect(cfg: Config, table: string): string {
  const v =
    cfg.format === "csv"
      ? (n: string) => nn(`c.${quoteIdent(n)}`)
      : (n: string) => nn(`json_extract_scalar(c.record, '$.${n}')`);
  const text = cfg.format === "csv" ? "c.object" : "c.record";
  return `SELECT\n    ${select({
    source: "'cloudsmith-audit'",
    time: utc(v("event_at")),
    package_name: v("object"),
    repository: `CASE WHEN ${v("context")} = 'Repository' THEN ${v("object")} END`,
    principal: `coalesce(${v("actor_kind")}, 'user') || ':' || ${v("actor")}`,
    ip: v("actor_ip_address"),
    request_id: v("uuid"),
    action: `coalesce(${v("event")}, 'event')`,
    object_bucket: bucketOf,
    object_key: keyOf,
    object_line: INTEGER_NULL,
    object_event_id: v("uuid"),
  })}\n  FROM ${table} AS c\n  WHERE regexp_like(lower(${text}), $mention)`;
}

function cloudTrailSelect(table: string): string {
  const p = (k: string) => nn(`json_extract_scalar(t.requestparameters, '$.${k}')`);
  const inner = `SELECT
      t.eventtime, t.eventname, t.eventid, t.requestid, t.sourceipaddress, t.useragent, t.errorcode, "$path" AS path,
      coalesce(t.useridentity.arn, t.useridentity.sessioncontext.sessionissuer.arn) AS arn,
      ${canonicalFormat(`coalesce(${p("packageFormat")}, ${p("format")})`)} AS fmt,
      coalesce(${p("packageNamespace")}, ${p("namespace")}) AS ns,
      coalesce(${p("packageName")}, ${p("package")}) AS name,
      coalesce(${p("packageVersion")}, ${p("version")}) AS version,
      coalesce(${p("domainName")}, ${p("domain")}, '?') AS domain,
      coalesce(${p("repositoryName")}, ${p("repository")}) AS repo
    FROM ${table} AS t
    WHERE t.day BETWEEN $from_day AND $to_day
      AND t.eventsource = 'codeartifact.amazonaws.com'
      AND t.eventname IN ('ReadFromRepository', 'GetPackageVersionAsset', 'PublishPackageVersion', 'PublishToRepository')
      AND regexp_like(lower(t.requestparameters), $mention)`;
  return `SELECT\n    ${select({
    source: "'codeartifact'",
    time: utc("e.eventtime"),
    package_format: "e.fmt",
    package_name: `CASE WHEN e.name IS NULL OR e.ns IS NULL THEN e.name WHEN e.fmt = 'npm' THEN '@' || regexp_replace(e.ns, '^@', '') || '/' || e.name WHEN e.fmt = 'maven' THEN e.ns || ':' || e.name ELSE e.ns || '/' || e.name END`,
    package_version: "e.version",
    repository: "CASE WHEN e.repo IS NOT NULL THEN e.domain || '/' || e.repo END",
    principal: nn("e.arn"),
    ip: nn("e.sourceipaddress"),
    user_agent: nn("e.useragent"),
    status: `coalesce(${nn("e.errorcode")}, 'OK')`,
    request_id: nn("e.requestid"),
    action: "CASE WHEN e.eventname LIKE 'Publish%' THEN 'publish' ELSE 'download' END",
    object_bucket: `regexp_extract(e.path, '^s3://([^/]+)/', 1)`,
    object_key: `regexp_extract(e.path, '^s3://[^/]+/(.*)$', 1)`,
    object_line: INTEGER_NULL,
    object_event_id: nn("e.eventid"),
    integrity: "'unchecked'",
  })}\n  FROM (\n    ${inner}\n  ) AS e`;
}

/** The relation of flat rows over every table of the layer: what `{{rows}}` becomes in Athena. */
export function athenaRelation(cfg: Config, athena: AthenaConfig): string {
  const parts = tableSpecs(cfg, athena).map((t) => {
    const table = `${quoteIdent(athena.database)}.${quoteIdent(t.name)}`;
    return t.source === "client"
      ? clientSelect(t, table, cfg)
      : t.source === "audit"
        ? auditSelect(cfg, table)
        : cloudTrailSelect(table);
  });
  return `(\n  ${parts.join("\n  UNION ALL\n  ")}\n)`;
}
