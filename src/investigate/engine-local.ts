/**
 * The local engine: embedded DuckDB (an optional dependency, loaded only here) over the cached
 * row files. Loading it is the one step that can be missing: that is one clear line saying how
 * to add it, never a stack trace.
 */
import { createRequire } from "node:module";
import { flatRow, fromFlat, type Row } from "./rows.js";
import { investigationSql, ROW_COLUMNS, type RowColumn, toDuckDb, withRelation } from "./sql.js";

export class EngineMissing extends Error {}

export const ENGINE_MISSING =
  "investigate needs DuckDB, an optional dependency left out of this install (npm install --omit=optional): add it with `npm install @duckdb/node-api` beside cloudsmith-log-export";

/** DuckDB's type for each flat column (all text but the line number). */
const COLUMNS: Record<RowColumn, string> = Object.fromEntries(
  ROW_COLUMNS.map((c) => [c, c === "object_line" ? "INTEGER" : "VARCHAR"]),
) as Record<RowColumn, string>;

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

/**
 * Whether DuckDB is installed, told without loading it (a module lookup): the run can then start
 * fetching while the engine loads, and an install without it still stops before anything is read.
 */
export function engineInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("@duckdb/node-api");
    return true;
  } catch {
    return false;
  }
}

/** DuckDB, or EngineMissing saying how to add it (a native module that does not load, too). */
export async function loadEngine(): Promise<typeof import("@duckdb/node-api")> {
  try {
    return await import("@duckdb/node-api");
  } catch {
    throw new EngineMissing(ENGINE_MISSING);
  }
}

export async function queryLocal(q: LocalQuery): Promise<Row[]> {
  if (q.rows.length === 0) return [];
  const duck = await loadEngine();
  const { randomBytes } = await import("node:crypto");
  const { rm, writeFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const file = join(q.scratchDir, `.candidates-${randomBytes(6).toString("hex")}.ndjson`);
  await writeFile(file, `${q.rows.map((r) => JSON.stringify(flatRow(r))).join("\n")}\n`, { mode: 0o600 });
  const instance = await duck.DuckDBInstance.create(":memory:", { threads: "4" });
  const connection = await instance.connect();
  try {
    const columns = `{${Object.entries(COLUMNS)
      .map(([k, v]) => `${quote(k)}: ${quote(v)}`)
      .join(", ")}}`;
    const relation = `read_json(${quote(file)}, format = 'newline_delimited', columns = ${columns})`;
    const sql = withRelation(toDuckDb(investigationSql(q.format)), relation);
    const reader = await connection.runAndReadAll(sql, {
      from: q.from,
      to: q.to,
      name: q.name,
      raw_name: q.rawName,
      format: q.format,
      principal: q.principal ?? "",
      ip: q.ip ?? "",
    });
    return reader.getRowObjectsJS().map((v) => fromFlat(v as Record<string, unknown>));
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(file, { force: true });
  }
}
