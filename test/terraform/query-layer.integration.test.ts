/**
 * The Athena query layer, for real: the generated Terraform applied to the emulator (a plan after
 * apply is clean), read back with the AWS SDK and compared with the table definitions, then
 * `verify --query-layer` on what Terraform deployed and on realistic damage to it, and
 * `investigate --engine athena` end to end: the query Athena receives is the investigation SQL
 * with its parameters bound in order, in the workgroup synth made. (The emulator stores queries
 * without running them; the rows it returns are set through its results queue, and the SQL itself
 * is judged in test/query/athena-sql.test.ts.)
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AthenaClient,
  CreateWorkGroupCommand,
  DeleteWorkGroupCommand,
  GetNamedQueryCommand,
  GetQueryExecutionCommand,
  GetWorkGroupCommand,
  ListNamedQueriesCommand,
  ListQueryExecutionsCommand,
} from "@aws-sdk/client-athena";
import { GetTableCommand, GlueClient, UpdateTableCommand } from "@aws-sdk/client-glue";
import {
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { investigationSql, positional, ROW_COLUMNS, withRelation } from "../../src/investigate/sql.js";
import { namedQueries } from "../../src/query/named-queries.js";
import { athenaRelation } from "../../src/query/relation.js";
import { CLIENT_CSV_COLUMNS, tableSpecs } from "../../src/query/tables.js";
import { runCli } from "../helpers/cli.js";
import { configOf, variants } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";
import { FAKE_AWS_ENV } from "../helpers/fake-aws-env.js";
import { applyToEmulator } from "../helpers/terraform.js";

const input = variants["athena query layer"]!;
const cfg = configOf(input);
const athena = cfg.query!.athena!;
let emulator: Emulator;
let dir: string;
let glue: GlueClient;
let ath: AthenaClient;
let s3: S3Client;
const env = () => ({
  ...FAKE_AWS_ENV,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
});

async function verifyQuery(configFile = "config.json") {
  const r = await runCli(
    [
      "verify",
      "-c",
      configFile,
      "--endpoint-url",
      emulator.endpoint,
      "--query-layer",
      "--rule",
      "query.*",
      "--output",
      "json",
    ],
    { cwd: dir, env: env() },
  );
  const report = JSON.parse(r.stdout) as {
    results: Array<{ ruleId: string; status: string; message: string; resource: string }>;
  };
  return { code: r.code, results: report.results, stderr: r.stderr };
}
const statusOf = (results: Array<{ ruleId: string; status: string }>, id: string) =>
  [...new Set(results.filter((x) => x.ruleId === id).map((x) => x.status))].join(",");

beforeAll(async () => {
  emulator = await startEmulator();
  const base = {
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  glue = new GlueClient(base);
  ath = new AthenaClient(base);
  s3 = new S3Client({ ...base, forcePathStyle: true });
  dir = await mkdtemp(join(tmpdir(), "cle-query-layer-"));
  await writeFile(join(dir, "config.json"), JSON.stringify(input));
  await applyToEmulator(input, join(dir, "out"), emulator.endpoint);
}, 240_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("the query layer Terraform deployed", () => {
  it("holds each table as the definitions say: location, SerDe, regex, columns, projection", async () => {
    for (const spec of tableSpecs(cfg, athena)) {
      const { Table } = await glue.send(new GetTableCommand({ DatabaseName: athena.database, Name: spec.name }));
      expect(Table?.StorageDescriptor?.Location).toBe(spec.location);
      expect(Table?.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe(spec.serde.library);
      expect(Table?.StorageDescriptor?.SerdeInfo?.Parameters ?? {}).toEqual(spec.serde.parameters);
      expect(Table?.StorageDescriptor?.Columns?.map((c) => [c.Name, c.Type])).toEqual(
        spec.columns.map((c) => [c.name, c.type]),
      );
      expect(Table?.Parameters).toMatchObject(spec.parameters);
    }
    const trail = (await glue.send(new GetTableCommand({ DatabaseName: athena.database, Name: "cloudtrail_logs" })))
      .Table!;
    // Terraform's "$${" escape arrived as a literal "${": the projection's own placeholders.
    expect(trail.Parameters?.["storage.location.template"]).toBe(
      "s3://cloudsmith-acme-logs/cloudtrail/AWSLogs/${account}/CloudTrail/${region}/${day}",
    );
  });

  it("has an enforced workgroup with encrypted results and a scan cutoff, and the named investigation", async () => {
    const { WorkGroup } = await ath.send(new GetWorkGroupCommand({ WorkGroup: athena.workgroup }));
    expect(WorkGroup?.Configuration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      BytesScannedCutoffPerQuery: 10_240_000_000,
      ResultConfiguration: {
        OutputLocation: "s3://cloudsmith-acme-logs-athena-results/results/",
        EncryptionConfiguration: { EncryptionOption: "SSE_S3" },
        ExpectedBucketOwner: "123456789012",
      },
    });
    const { NamedQueryIds } = await ath.send(new ListNamedQueriesCommand({ WorkGroup: athena.workgroup }));
    expect(NamedQueryIds).toHaveLength(1);
    const { NamedQuery } = await ath.send(new GetNamedQueryCommand({ NamedQueryId: NamedQueryIds![0]! }));
    expect(NamedQuery?.QueryString).toBe(namedQueries(cfg, athena)[0]!.query);
  });

  it("verify --query-layer passes on it", async () => {
    const { code, results } = await verifyQuery();
    expect(results.map((r) => `${r.ruleId} ${r.status}`).sort()).toEqual([
      "query.csv-header SKIPPED",
      "query.projection PASS",
      "query.results-private PASS",
      // Nothing delivered yet under the prefixes and the trail's folder: said, never passed.
      "query.sources-readable SKIPPED",
      "query.sources-readable SKIPPED",
      "query.sources-readable SKIPPED",
      "query.tables PASS",
      "query.tables PASS",
      "query.tables PASS",
      "query.workgroup PASS",
    ]);
    expect(code).toBe(0);
  }, 60_000);
});

describe("investigate --engine athena on the emulator", () => {
  it("sends the investigation SQL with its parameters to the workgroup, and prints the rows it answers", async () => {
    const flat = (o: Record<string, string | null>) => ({
      Data: ROW_COLUMNS.map((c) => (o[c] === undefined || o[c] === null ? {} : { VarCharValue: String(o[c]) })),
    });
    const row = (version: string, id: string) => ({
      source: "codeartifact",
      time: "2026-11-03T10:05:00Z",
      package_format: "npm",
      package_name: "lodash",
      package_version: version,
      repository: "example-domain/example-repo",
      principal: "arn:aws:sts::123456789012:assumed-role/ci/build",
      ip: "203.0.113.9",
      user_agent: "npm/10",
      status: "OK",
      request_id: `r-${id}`,
      action: "download",
      object_bucket: "cloudsmith-acme-logs",
      object_key: "cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/03/x.json.gz",
      object_event_id: id,
      integrity: "unchecked",
    });
    const header = { Data: ROW_COLUMNS.map((c) => ({ VarCharValue: c })) };
    const res = await fetch(`${emulator.endpoint}/moto-api/static/athena/query-results`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        results: [
          {
            rows: [header, flat(row("4.17.20", "e-1")), flat(row("4.17.21", "e-2"))],
            column_info: ROW_COLUMNS.map((c) => ({ Name: c, Type: "varchar" })),
          },
        ],
      }),
    });
    expect(res.status).toBe(201);
    const r = await runCli(
      [
        "investigate",
        "-c",
        "config.json",
        "--engine",
        "athena",
        "--package",
        "npm:lodash@4.17.20",
        "--from",
        "2026-11-01T00:00:00Z",
        "--to",
        "2026-11-30T00:00:00Z",
        "--output",
        "ndjson",
        "--endpoint-url",
        emulator.endpoint,
      ],
      { cwd: dir, env: env() },
    );
    expect(r.stderr).toMatch(/Athena query \S+ scanned \d+\.\d MiB/);
    // The version is judged after the query, as the local engine does: 4.17.21 is left out.
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.source, x.package.version, x.object.eventId, x.principal])).toEqual([
      ["codeartifact", "4.17.20", "e-1", "arn:aws:sts::123456789012:assumed-role/ci/build"],
    ]);
    expect(r.code).toBe(0);

    const { QueryExecutionIds } = await ath.send(new ListQueryExecutionsCommand({ WorkGroup: athena.workgroup }));
    expect(QueryExecutionIds).toHaveLength(1);
    const { QueryExecution } = await ath.send(
      new GetQueryExecutionCommand({ QueryExecutionId: QueryExecutionIds![0]! }),
    );
    const expected = positional(withRelation(investigationSql("npm"), athenaRelation(cfg, athena)), {
      from: "2026-11-01T00:00:00Z",
      to: "2026-11-30T00:00:00Z",
      name: "lodash",
      raw_name: "lodash",
      format: "npm",
      principal: "",
      ip: "",
      mention: "lodash",
      from_day: "2026/10/31",
      to_day: "2026/11/30",
    });
    expect(QueryExecution?.Query).toBe(expected.sql);
    expect(QueryExecution?.ExecutionParameters).toEqual(expected.values);
    expect(QueryExecution?.QueryExecutionContext?.Database).toBe(athena.database);
  }, 120_000);

  it("without query.athena in the config, --engine athena is one line and exit 2", async () => {
    await writeFile(join(dir, "plain.json"), JSON.stringify(variants.default));
    const r = await runCli(["investigate", "-c", "plain.json", "--engine", "athena", "--package", "npm:lodash"], {
      cwd: dir,
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--engine athena needs the query layer/);
  });
});

describe("verify --query-layer on damaged layers", () => {
  it("columns reordered, the projection ending in the past: query.tables and query.projection FAIL", async () => {
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: athena.database, Name: "cloudtrail_logs" }));
    const t = Table!;
    const cols = [...t.StorageDescriptor!.Columns!];
    [cols[0], cols[1]] = [cols[1]!, cols[0]!];
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: athena.database,
        TableInput: {
          Name: t.Name!,
          TableType: t.TableType,
          PartitionKeys: t.PartitionKeys,
          StorageDescriptor: { ...t.StorageDescriptor, Columns: cols },
          Parameters: { ...t.Parameters, "projection.day.range": "2024/01/01,2025/12/31" },
        },
      }),
    );
    const { results } = await verifyQuery();
    const tables = results.filter((r) => r.ruleId === "query.tables" && r.resource.endsWith("cloudtrail_logs"));
    expect(tables.map((r) => r.status)).toEqual(["FAIL"]);
    expect(tables[0]!.message).toMatch(/columns are \(useridentity/);
    const projection = results.find((r) => r.ruleId === "query.projection")!;
    expect(projection.status).toBe("FAIL");
    expect(projection.message).toMatch(/the day range ends 2025\/12\/31, before today/);
    // Put it back for the next case.
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: athena.database,
        TableInput: {
          Name: t.Name!,
          TableType: t.TableType,
          PartitionKeys: t.PartitionKeys,
          StorageDescriptor: t.StorageDescriptor,
          Parameters: t.Parameters,
        },
      }),
    );
  }, 60_000);

  it("a workgroup that does not enforce its settings, and results open to the public: both FAIL", async () => {
    await ath.send(new DeleteWorkGroupCommand({ WorkGroup: athena.workgroup, RecursiveDeleteOption: true }));
    await ath.send(
      new CreateWorkGroupCommand({
        Name: athena.workgroup,
        Configuration: {
          EnforceWorkGroupConfiguration: false,
          ResultConfiguration: { OutputLocation: "s3://somewhere-else/results/" },
        },
      }),
    );
    const bucket = "cloudsmith-acme-logs-athena-results";
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const { results, code } = await verifyQuery();
    const wg = results.find((r) => r.ruleId === "query.workgroup")!;
    expect(wg.status).toBe("FAIL");
    expect(wg.message).toMatch(/does not enforce its settings/);
    expect(wg.message).toMatch(
      /results go to s3:\/\/somewhere-else\/results\/, expected s3:\/\/cloudsmith-acme-logs-athena-results\/results\//,
    );
    expect(wg.message).toMatch(/results are not encrypted/);
    expect(wg.message).toMatch(/no bytes-scanned cutoff/);
    const priv = results.find((r) => r.ruleId === "query.results-private")!;
    expect(priv.status).toBe("FAIL");
    expect(priv.message).toMatch(/Block Public Access is off/);
    expect(code).toBe(1);
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
  }, 60_000);

  it("CSV exports: the newest export's header against the table's order, and an export that cannot be read", async () => {
    // The same deployment read as a CSV setup: the client table is then expected with CSV's columns.
    const csv = { ...input, format: "csv" as const };
    await writeFile(join(dir, "csv.json"), JSON.stringify(csv));
    const csvSpec = tableSpecs(configOf(csv), athena).find((t) => t.source === "client")!;
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: athena.database, Name: "client_logs" }));
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: athena.database,
        TableInput: {
          Name: "client_logs",
          TableType: Table!.TableType,
          Parameters: { ...Table!.Parameters, ...csvSpec.parameters },
          StorageDescriptor: {
            ...Table!.StorageDescriptor,
            Columns: csvSpec.columns.map((c) => ({ Name: c.name, Type: c.type })),
            SerdeInfo: { SerializationLibrary: csvSpec.serde.library, Parameters: csvSpec.serde.parameters },
          },
        },
      }),
    );
    // The emulator enforces the TLS-only policy on its plain-HTTP endpoint: lifted for this case
    // (with it, the header read is ERROR naming s3:GetObject, as the first run here showed).
    const Bucket = "cloudsmith-acme-logs";
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    const put = (key: string, header: string[]) =>
      s3.send(
        new PutObjectCommand({ Bucket, Key: key, Body: `${header.join(",")}\n${header.map(() => "x").join(",")}\n` }),
      );
    await put("client-logs/2026/11/01/00.csv", CLIENT_CSV_COLUMNS);
    let run = await verifyQuery("csv.json");
    expect(
      statusOf(
        run.results.filter((r) => r.resource.endsWith("client_logs")),
        "query.csv-header",
      ),
    ).toBe("PASS");
    // The newest export has two columns swapped: Athena would read IPs as hosts.
    await new Promise((r) => setTimeout(r, 1100));
    const swapped = [...CLIENT_CSV_COLUMNS];
    [swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
    await put("client-logs/2026/11/02/00.csv", swapped);
    run = await verifyQuery("csv.json");
    const header = run.results.find((r) => r.ruleId === "query.csv-header" && r.resource.endsWith("client_logs"))!;
    expect(header.status).toBe("FAIL");
    expect(header.message).toMatch(
      /client-logs\/2026\/11\/02\/00\.csv: column 6 is ip_address, the table reads it as host/,
    );
    // No audit export yet: said, never passed.
    expect(
      statusOf(
        run.results.filter((r) => r.resource.endsWith("audit_logs")),
        "query.csv-header",
      ),
    ).toBe("SKIPPED");
    // With the TLS-only policy back, the plain-HTTP read is refused: ERROR naming the permission, never PASS.
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    run = await verifyQuery("csv.json");
    const denied = run.results.find((r) => r.ruleId === "query.csv-header" && r.resource.endsWith("client_logs"))!;
    expect(denied.status).toBe("ERROR");
    expect(denied.message).toMatch(/s3:GetObject/);
  }, 60_000);
});

describe("Security Hub findings from verify (issue 25's --output asff and --securityhub, on this deployment)", () => {
  it("the AWS CLI (botocore's model of BatchImportFindings) accepts --output asff as it is", async () => {
    const r = await runCli(
      [
        "verify",
        "-c",
        "config.json",
        "--endpoint-url",
        emulator.endpoint,
        "--query-layer",
        "--rule",
        "query.*",
        "--output",
        "asff",
      ],
      { cwd: dir, env: env() },
    );
    const findings = JSON.parse(r.stdout) as Array<{ Id: string }>;
    expect(findings.length).toBeGreaterThan(3);
    await writeFile(join(dir, "findings.json"), r.stdout);
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const out = await promisify(execFile)(
      "aws",
      [
        "securityhub",
        "batch-import-findings",
        "--findings",
        "file://findings.json",
        "--endpoint-url",
        emulator.endpoint,
      ],
      { cwd: dir, env: { ...process.env, ...env(), AWS_DEFAULT_REGION: "us-east-1" } },
    );
    expect(JSON.parse(out.stdout)).toMatchObject({ FailedCount: 0, SuccessCount: findings.length });
  }, 60_000);

  it("--securityhub imports the findings; once the workgroup is fixed, the same finding is PASSED", async () => {
    const { SecurityHubClient, GetFindingsCommand } = await import("@aws-sdk/client-securityhub");
    const hub = new SecurityHubClient({
      endpoint: emulator.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const verifyHub = () =>
      runCli(
        [
          "verify",
          "-c",
          "config.json",
          "--endpoint-url",
          emulator.endpoint,
          "--query-layer",
          "--rule",
          "query.workgroup",
          "--securityhub",
        ],
        { cwd: dir, env: env() },
      );
    const workgroupFinding = async () => {
      const { Findings } = await hub.send(new GetFindingsCommand({}));
      return (Findings ?? []).filter((f) => f.GeneratorId === "cloudsmith-log-export/query.workgroup");
    };
    // The workgroup is still the unenforced one from the damage above.
    let r = await verifyHub();
    expect(r.stderr).toMatch(/Security Hub: 1 finding\(s\) imported/);
    expect(r.code).toBe(1);
    const before = await workgroupFinding();
    expect(before.map((f) => f.Compliance?.Status)).toEqual(["FAILED"]);
    await ath.send(new DeleteWorkGroupCommand({ WorkGroup: athena.workgroup, RecursiveDeleteOption: true }));
    await ath.send(
      new CreateWorkGroupCommand({
        Name: athena.workgroup,
        Configuration: {
          EnforceWorkGroupConfiguration: true,
          BytesScannedCutoffPerQuery: 10_240_000_000,
          ResultConfiguration: {
            OutputLocation: "s3://cloudsmith-acme-logs-athena-results/results/",
            EncryptionConfiguration: { EncryptionOption: "SSE_S3" },
            ExpectedBucketOwner: "123456789012",
          },
        },
      }),
    );
    r = await verifyHub();
    expect(r.code).toBe(0);
    const after = await workgroupFinding();
    // The same finding (same id), now passed: Security Hub resolves it.
    expect(after.map((f) => [f.Id, f.Compliance?.Status])).toEqual([[before[0]!.Id, "PASSED"]]);
    hub.destroy();
  }, 60_000);
});

describe("retention on this deployment (issue 25's retention.lifecycle)", () => {
  it("a lifecycle rule expiring exports after 30 days FAILs under the PCI DSS profile; one after 400 days passes", async () => {
    await writeFile(join(dir, "retention.json"), JSON.stringify({ ...input, retention: { profile: "pci-dss" } }));
    const Bucket = "cloudsmith-acme-logs";
    const put = (days: number) =>
      s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: "tidy-client-logs",
                Status: "Enabled",
                Filter: { Prefix: "client-logs/" },
                Expiration: { Days: days },
              },
            ],
          },
        }),
      );
    const run = async () => {
      const r = await runCli(
        [
          "verify",
          "-c",
          "retention.json",
          "--endpoint-url",
          emulator.endpoint,
          "--rule",
          "retention.lifecycle",
          "--output",
          "json",
        ],
        { cwd: dir, env: env() },
      );
      return JSON.parse(r.stdout).results as Array<{ status: string; message: string }>;
    };
    // No lifecycle configuration yet: nothing deletes anything.
    expect((await run()).map((r) => r.status)).toEqual(["PASS"]);
    await put(30);
    const failing = await run();
    expect(failing.map((r) => r.status)).toEqual(["FAIL"]);
    expect(failing[0]!.message).toMatch(/rule tidy-client-logs expires objects after 30 days under client-logs\//);
    expect(failing[0]!.message).toMatch(/kept 365 days, 90 of them immediately readable/);
    await put(400);
    expect((await run()).map((r) => r.status)).toEqual(["PASS"]);
  }, 60_000);
});
