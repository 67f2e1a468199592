/**
 * The investigation's SQL, one text for every engine: DuckDB here (over the cached row files),
 * and the Athena engine over its tables' view of the same columns. Only functions both dialects
 * share are used (lower, regexp_replace, strpos, count, min, max); values are bound parameters,
 * never pasted into the text.
 */

/** The rows of one package in a window: `{{rows}}` is the engine's relation of normalised rows. */
export const ROWS_SQL = `
SELECT *
FROM {{rows}} AS r
WHERE r.time >= $from AND r.time <= $to
  AND (
    (r.package.name IS NOT NULL AND {{name_of_row}} = $name AND ($format = '' OR r.package.format IS NULL OR r.package.format = $format))
    OR (r.package.name IS NULL AND r.uri IS NOT NULL AND strpos(lower(r.uri), lower($raw_name)) > 0)
  )
  AND ($principal = '' OR r.principal = $principal)
  AND ($ip = '' OR r.ip = $ip)
ORDER BY r.time, r.source, r.object.key, r.object.line
`;

/** How a row's package name compares with the one asked for (PyPI names are normalised). */
export const nameOfRow = (format: string): string =>
  format === "python"
    ? "regexp_replace(lower(r.package.name), '[-_.]+', '-', 'g')"
    : format === "npm" || format === "cargo" || format === "go"
      ? "r.package.name"
      : "lower(r.package.name)";
