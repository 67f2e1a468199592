/**
 * The Athena engine's control flow against a mocked Athena (aws-sdk-client-mock): queued then
 * running then succeeded with paged results, failed, cancelled, a query that outlives its
 * deadline (stopped, never left running), and a result larger than the cap. A fake clock keeps
 * the polling instant and the test free of wall-clock assertions.
 */
import * as athena from "@aws-sdk/client-athena";
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { AthenaQueryFailed, type Clock, runAthena } from "../../src/investigate/engine-athena.js";

const mock = mockClient(AthenaClient);
const client = new AthenaClient({ region: "us-east-1" });
afterEach(() => mock.reset());

function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

const header = { Data: [{ VarCharValue: "source" }, { VarCharValue: "time" }] };
const row = (source: string, time?: string) => ({
  Data: [{ VarCharValue: source }, time === undefined ? {} : { VarCharValue: time }],
});
const meta = {
  ColumnInfo: [
    { Name: "source", Type: "varchar" },
    { Name: "time", Type: "varchar" },
  ],
};
const run = { sql: "SELECT 1", values: ["'a'"], workgroup: "wg", database: "db" };

describe("runAthena", () => {
  it("polls through QUEUED and RUNNING, pages the results, skips the header row once, reports bytes", async () => {
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
    mock
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: "QUEUED" } } })
      .resolvesOnce({ QueryExecution: { Status: { State: "RUNNING" }, Statistics: { DataScannedInBytes: 10 } } })
      .resolves({ QueryExecution: { Status: { State: "SUCCEEDED" }, Statistics: { DataScannedInBytes: 4096 } } });
    mock
      .on(GetQueryResultsCommand, { QueryExecutionId: "q-1", NextToken: undefined })
      .resolves({ ResultSet: { ResultSetMetadata: meta, Rows: [header, row("codeartifact", "t1")] }, NextToken: "p2" })
      // A value that happens to equal its column name on a later page is data, not a header.
      .on(GetQueryResultsCommand, { QueryExecutionId: "q-1", NextToken: "p2" })
      .resolves({ ResultSet: { ResultSetMetadata: meta, Rows: [header, row("cloudsmith-audit")] } });
    const clock = fakeClock();
    const answer = await runAthena(athena, client, run, clock);
    expect(answer).toEqual({
      executionId: "q-1",
      columns: ["source", "time"],
      rows: [
        { source: "codeartifact", time: "t1" },
        { source: "source", time: "time" },
        { source: "cloudsmith-audit", time: null },
      ],
      bytesScanned: 4096,
    });
    const start = mock.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(start).toEqual({
      QueryString: "SELECT 1",
      WorkGroup: "wg",
      QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: "db" },
      ExecutionParameters: ["'a'"],
    });
    expect(clock.slept).toEqual([250, 500]);
  });

  it("a failed query is an error naming the execution and Athena's reason", async () => {
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-2" });
    mock.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: "FAILED",
          StateChangeReason: "TABLE_NOT_FOUND: Table cloudsmith_logs.client_logs does not exist",
          AthenaError: { ErrorType: 1101, ErrorCategory: 2 },
        },
      },
    });
    await expect(runAthena(athena, client, run, fakeClock())).rejects.toThrow(
      /Athena query q-2 failed: 1101: TABLE_NOT_FOUND: Table cloudsmith_logs.client_logs does not exist/,
    );
    expect(mock.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it("a cancelled query (the bytes-scanned cutoff) is an error, never an empty answer", async () => {
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-3" });
    mock.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: "CANCELLED", StateChangeReason: "Bytes scanned limit was exceeded" } },
    });
    const e = await runAthena(athena, client, run, fakeClock()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AthenaQueryFailed);
    expect((e as Error).message).toMatch(/q-3 was cancelled \(Bytes scanned limit was exceeded\)/);
  });

  it("a query still running at the deadline is stopped, and the error says how to narrow it", async () => {
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-4" });
    mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "RUNNING" } } });
    mock.on(StopQueryExecutionCommand).resolves({});
    const clock = fakeClock();
    await expect(runAthena(athena, client, { ...run, deadlineMs: 10_000 }, clock)).rejects.toThrow(
      /q-4 did not finish within 10 s and was stopped/,
    );
    expect(mock.commandCalls(StopQueryExecutionCommand)[0]!.args[0].input).toEqual({ QueryExecutionId: "q-4" });
    // Backed off to 2 s, and never slept past the deadline.
    expect(Math.max(...clock.slept)).toBe(2_000);
    expect(clock.now()).toBeLessThanOrEqual(10_000);
  });

  it("an unknown state, or a start without an execution id, is an error", async () => {
    mock.on(StartQueryExecutionCommand).resolves({});
    await expect(runAthena(athena, client, run, fakeClock())).rejects.toThrow(/without giving its execution id/);
    mock.reset();
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-5" });
    mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: {} } });
    await expect(runAthena(athena, client, run, fakeClock())).rejects.toThrow(/q-5 is in state undefined/);
  });

  it("more rows than the cap is an error, not a silently cut answer", async () => {
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-6" });
    mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "SUCCEEDED" } } });
    mock.on(GetQueryResultsCommand).resolves({
      ResultSet: { ResultSetMetadata: meta, Rows: [header, row("a"), row("b"), row("c")] },
    });
    await expect(runAthena(athena, client, { ...run, maxRows: 2 }, fakeClock())).rejects.toThrow(
      /more than 2 rows: narrow the window/,
    );
  });

  it("a result that never stops paging ends at the page cap", async () => {
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-7" });
    mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "SUCCEEDED" } } });
    mock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: meta, Rows: [] }, NextToken: "again" });
    await expect(runAthena(athena, client, { ...run, maxRows: 1000 }, fakeClock())).rejects.toThrow(
      /more pages than 1000 rows need/,
    );
    expect(mock.commandCalls(GetQueryResultsCommand).length).toBeLessThanOrEqual(3);
  });
});
