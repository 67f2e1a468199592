/**
 * The Athena engine: the investigation's SQL over the query layer's tables, run in the
 * workgroup synth made (its settings are enforced: results location, encryption, bytes-scanned
 * cutoff). Bounded like every other call: the query has a deadline (then it is stopped, never
 * left running), polling backs off, results are paged up to a cap, and every outcome but
 * SUCCEEDED is an error naming the execution and Athena's reason.
 */
import type { AthenaClient } from "@aws-sdk/client-athena";

export interface AthenaRun {
  sql: string;
  /** ExecutionParameters: SQL literals, bound to `?` in order. */
  values: readonly string[];
  workgroup: string;
  database: string;
  /** Stop the query after this long. @default 300000 */
  deadlineMs?: number;
  /** At most this many result rows (then an error: narrow the window). @default 100000 */
  maxRows?: number;
}

export interface AthenaAnswer {
  executionId: string;
  columns: string[];
  rows: Array<Record<string, string | null>>;
  bytesScanned: number;
}

export class AthenaQueryFailed extends Error {}

type Mod = typeof import("@aws-sdk/client-athena");

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export async function runAthena(
  mod: Pick<
    Mod,
    "StartQueryExecutionCommand" | "GetQueryExecutionCommand" | "GetQueryResultsCommand" | "StopQueryExecutionCommand"
  >,
  client: Pick<AthenaClient, "send">,
  run: AthenaRun,
  clock: Clock = realClock,
): Promise<AthenaAnswer> {
  const deadline = clock.now() + (run.deadlineMs ?? 300_000);
  const maxRows = run.maxRows ?? 100_000;
  const started = await client.send(
    new mod.StartQueryExecutionCommand({
      QueryString: run.sql,
      WorkGroup: run.workgroup,
      QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: run.database },
      ...(run.values.length > 0 ? { ExecutionParameters: [...run.values] } : {}),
    }),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new AthenaQueryFailed("Athena started the query without giving its execution id");

  let wait = 250;
  let bytesScanned = 0;
  for (;;) {
    const { QueryExecution: q } = await client.send(new mod.GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = q?.Status?.State;
    bytesScanned = q?.Statistics?.DataScannedInBytes ?? bytesScanned;
    if (state === "SUCCEEDED") break;
    if (state === "FAILED" || state === "CANCELLED") {
      const why = [q?.Status?.AthenaError?.ErrorType, q?.Status?.StateChangeReason].filter(Boolean).join(": ");
      throw new AthenaQueryFailed(
        state === "CANCELLED"
          ? `Athena query ${id} was cancelled${why ? ` (${why})` : ""}: the workgroup's bytes-scanned cutoff, or someone stopped it`
          : `Athena query ${id} failed${why ? `: ${why}` : ""}`,
      );
    }
    if (state !== "QUEUED" && state !== "RUNNING")
      throw new AthenaQueryFailed(`Athena query ${id} is in state ${String(state)}, which this tool does not know`);
    if (clock.now() + wait > deadline) {
      await client.send(new mod.StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
      throw new AthenaQueryFailed(
        `Athena query ${id} did not finish within ${Math.round((run.deadlineMs ?? 300_000) / 1000)} s and was stopped: narrow the window (--since) or raise --query-timeout`,
      );
    }
    await clock.sleep(wait);
    wait = Math.min(wait * 2, 2_000);
  }

  const rows: Array<Record<string, string | null>> = [];
  let columns: string[] = [];
  let token: string | undefined;
  let first = true;
  for (let page = 0; ; page++) {
    if (page > Math.ceil(maxRows / 1000) + 1)
      throw new AthenaQueryFailed(`Athena query ${id} returned more pages than ${maxRows} rows need`);
    const res = await client.send(
      new mod.GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken: token }),
    );
    if (first) columns = (res.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? "");
    const data = res.ResultSet?.Rows ?? [];
    for (const [i, row] of data.entries()) {
      const cells = (row.Data ?? []).map((d) => (d.VarCharValue === undefined ? null : d.VarCharValue));
      // A SELECT's first result row repeats the column names.
      if (first && i === 0 && cells.length === columns.length && cells.every((c, k) => c === columns[k])) continue;
      if (rows.length >= maxRows)
        throw new AthenaQueryFailed(
          `Athena query ${id} found more than ${maxRows} rows: narrow the window or the package`,
        );
      rows.push(Object.fromEntries(columns.map((c, k) => [c, cells[k] ?? null])));
    }
    first = false;
    token = res.NextToken;
    if (!token) break;
  }
  return { executionId: id, columns, rows, bytesScanned };
}
