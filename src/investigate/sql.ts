/**
 * The investigation's SQL, one text for every engine. It is written in Athena's dialect (Trino)
 * over a relation of normalised, flat rows: DuckDB runs it over the cached candidate rows, Athena
 * over the query layer's tables (src/query/relation.ts builds that relation). Values are bound
 * parameters (`$name`), never pasted into the text; `positional()` turns them into Athena's `?`
 * and `toDuckDb()` maps the one Trino function whose meaning differs in DuckDB.
 */

/** The flat row every engine returns, in this order. */
export const ROW_COLUMNS = [
  "source",
  "time",
  "package_format",
  "package_name",
  "package_version",
  "repository",
  "principal",
  "ip",
  "user_agent",
  "status",
  "request_id",
  "action",
  "uri",
  "object_bucket",
  "object_key",
  "object_line",
  "object_event_id",
  "integrity",
] as const;
export type RowColumn = (typeof ROW_COLUMNS)[number];

/** The rows of one package in a window: `{{rows}}` is the engine's relation of flat rows. */
export const ROWS_SQL = `
SELECT r.*
FROM {{rows}} AS r
WHERE r.time >= $from AND r.time <= $to
  AND (
    (r.package_name IS NOT NULL AND {{name_of_row}} = $name AND ($format = '' OR r.package_format IS NULL OR r.package_format = $format))
    OR (r.package_name IS NULL AND r.uri IS NOT NULL AND strpos(lower(r.uri), lower($raw_name)) > 0)
  )
  AND ($principal = '' OR r.principal = $principal)
  AND ($ip = '' OR r.ip = $ip)
ORDER BY r.time, r.source, r.object_key, r.object_line
`;

/** How a row's package name compares with the one asked for (PyPI names are normalised, PEP 503). */
export const nameOfRow = (format: string): string =>
  format === "python"
    ? "regexp_replace(lower(r.package_name), '[-_.]+', '-')"
    : format === "npm" || format === "cargo" || format === "go"
      ? "r.package_name"
      : "lower(r.package_name)";

/** The investigation for one format: the relation still to be put in place of `{{rows}}`. */
export const investigationSql = (format: string): string =>
  ROWS_SQL.replace("{{name_of_row}}", () => nameOfRow(format));

/** The SQL with the engine's relation in place (a function replacer: `$'` in the SQL stays as written). */
export const withRelation = (sql: string, relation: string): string => sql.replace("{{rows}}", () => relation);

export type Params = Record<string, string>;

/**
 * Athena binds `?` in order of appearance (StartQueryExecution's ExecutionParameters, each a SQL
 * literal): each `$name` becomes `?` and its value a quoted literal, repeated as often as it appears.
 */
export function positional(sql: string, params: Params): { sql: string; values: string[] } {
  const values: string[] = [];
  const out = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\$([a-z_]+)/g, (m, name: string | undefined) => {
    if (name === undefined) return m; // a string literal, a quoted name ("$path") or a comment: as written
    const v = params[name];
    if (v === undefined) throw new Error(`no value for the SQL parameter $${name}`);
    values.push(`'${v.replace(/'/g, "''")}'`);
    return "?";
  });
  return { sql: out, values };
}

/**
 * Trino to DuckDB: `regexp_replace(s, p, r)` replaces every match in Trino and only the first in
 * DuckDB unless told 'g'. Everything else the SQL uses means the same in both.
 */
export function toDuckDb(sql: string): string {
  return sql.replace(
    /regexp_replace\(((?:[^()']|\([^()]*\))+), ('(?:[^']|'')*'), ('(?:[^']|'')*')\)/g,
    "regexp_replace($1, $2, $3, 'g')",
  );
}

/**
 * Trino's functions the Athena relation uses, defined in DuckDB with Trino's meaning: the
 * compatibility layer that lets DuckDB run the Athena SQL text as it is (the test suite does,
 * to hold both engines to the same answers). json_extract_scalar is NULL for an object, an
 * array or text that is not JSON, as in Trino.
 */
export const PRESTO_MACROS: readonly string[] = [
  "CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_valid(j) AND json_type(j, p) NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(j, p) END",
  "CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)",
  "CREATE MACRO date_format(t, f) AS strftime(t, replace(replace(f, '%i', '%M'), '%s', '%S'))",
  // Only the Joda pattern the relation uses has a DuckDB twin; any other gives NULL times.
  "CREATE MACRO parse_datetime(s, f) AS CASE WHEN f = 'dd/MMM/yyyy:HH:mm:ss Z' THEN strptime(s, '%d/%b/%Y:%H:%M:%S %z') END",
  "CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)",
];
