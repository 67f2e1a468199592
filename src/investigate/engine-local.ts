/**
 * The local engine: embedded DuckDB (an optional dependency, loaded only here) over the cached
 * row files. Loading it is the one step that can be missing: that is one clear line saying how
 * to add it, never a stack trace.
 */
import type { Row } from "./rows.js";
import { nameOfRow, ROWS_SQL } from "./sql.js";

export class EngineMissing extends Error {}

const COLUMNS = {
  source: "VARCHAR",
  time: "VARCHAR",
  package: "STRUCT(format VARCHAR, name VARCHAR, version VARCHAR)",
  repository: "VARCHAR",
  principal: "VARCHAR",
  ip: "VARCHAR",
  userAgent: "VARCHAR",
  status: "VARCHAR",
  requestId: "VARCHAR",
  action: "VARCHAR",
  uri: "VARCHAR",
  object: "STRUCT(bucket VARCHAR, key VARCHAR, line INTEGER, eventId VARCHAR)",
  integrity: "VARCHAR",
};

export interface LocalQuery {
  /** The candidate rows (those whose text mentions the package), written for DuckDB to read. */
  rows: readonly Row[];
  /** Where that file goes for the query's length. */
  scratchDir: string;
  from: string;
  to: string;
  format: string;
  /** The name as it compares (normalised for PyPI). */
  name: string;
  /** The name as given, for matching download URIs. */
  rawName: string;
  principal?: string;
  ip?: string;
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** DuckDB, or EngineMissing saying how to add it: checked first, before anything is fetched. */
export async function loadEngine(): Promise<typeof import("@duckdb/node-api")> {
  try {
    return await import("@duckdb/node-api");
  } catch {
    throw new EngineMissing(
      "investigate needs DuckDB, an optional dependency left out of this install (npm install --omit=optional): add it with `npm install @duckdb/node-api` beside cloudsmith-log-export",
    );
  }
}

export async function queryLocal(q: LocalQuery): Promise<Row[]> {
  if (q.rows.length === 0) return [];
  const duck = await loadEngine();
  const { randomBytes } = await import("node:crypto");
  const { rm, writeFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const file = join(q.scratchDir, `.candidates-${randomBytes(6).toString("hex")}.ndjson`);
  await writeFile(file, `${q.rows.map((r) => JSON.stringify(r)).join("\n")}\n`, { mode: 0o600 });
  const instance = await duck.DuckDBInstance.create(":memory:", { threads: "4" });
  const connection = await instance.connect();
  try {
    const columns = `{${Object.entries(COLUMNS)
      .map(([k, v]) => `${quote(k)}: ${quote(v)}`)
      .join(", ")}}`;
    const relation = `read_json(${quote(file)}, format = 'newline_delimited', columns = ${columns})`;
    const sql = ROWS_SQL.replace("{{rows}}", relation).replace("{{name_of_row}}", nameOfRow(q.format));
    const reader = await connection.runAndReadAll(sql, {
      from: q.from,
      to: q.to,
      name: q.name,
      raw_name: q.rawName,
      format: q.format,
      principal: q.principal ?? "",
      ip: q.ip ?? "",
    });
    return reader.getRowObjectsJS().map(toRow);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(file, { force: true });
  }
}

/** DuckDB's JS values back into the row shape (NULL struct fields dropped from `object`). */
function toRow(v: Record<string, unknown>): Row {
  const o = v.object as { bucket: string; key: string; line: number | null; eventId: string | null };
  return {
    ...(v as unknown as Row),
    object: {
      bucket: o.bucket,
      key: o.key,
      ...(o.line !== null && o.line !== undefined ? { line: Number(o.line) } : {}),
      ...(o.eventId ? { eventId: o.eventId } : {}),
    },
  };
}
