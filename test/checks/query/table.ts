/** Rule tables for `verify --query-layer`: facts each rule must pass, and facts it must not. */
import type { Facts } from "../../../src/checks/index.js";
import type { QueryFacts } from "../../../src/checks/query/facts.js";
import type { ConfigInput } from "../../../src/config/schema.js";
import { absent, failed, present } from "../../../src/engine/fact.js";
import { policy, tlsOnlyStatement } from "../../../src/iam/policies/index.js";
import { CLIENT_CSV_COLUMNS, resultsBucket, resultsLocation, tableSpecs } from "../../../src/query/tables.js";
import { base, configOf } from "../../helpers/configs.js";
import { allPackFacts } from "../../helpers/facts.js";
import type { AreaTables } from "../../helpers/rule-table.js";

const withLayer: ConfigInput = { ...base, query: { athena: {} } };
const csvLayer: ConfigInput = { ...withLayer, format: "csv" };

/** The query layer exactly as synth makes it, read back whole. */
function healthy(input: ConfigInput = withLayer): Facts {
  const f = allPackFacts(input);
  const cfg = configOf(input);
  const athena = cfg.query!.athena!;
  const specs = tableSpecs(cfg, athena);
  const name = resultsBucket(cfg, athena);
  const q: QueryFacts = {
    now: "2026-12-02T12:00:00.000Z",
    database: present({ name: athena.database }),
    tables: specs.map((spec) => ({
      spec,
      table: present({
        location: spec.location,
        inputFormat: spec.inputFormat,
        outputFormat: spec.outputFormat,
        serde: spec.serde.library,
        serdeParameters: { ...spec.serde.parameters },
        parameters: { EXTERNAL: "TRUE", ...spec.parameters },
        columns: spec.columns.map((c) => ({ ...c })),
        partitionKeys: spec.partitionKeys.map((c) => ({ ...c })),
      }),
    })),
    workgroup: present({
      state: "ENABLED",
      enforce: true,
      outputLocation: resultsLocation(cfg, athena),
      encryption: "SSE_S3",
      bytesScannedCutoff: athena.bytesScannedCutoffMb * 1_000_000,
      expectedBucketOwner: cfg.accountId,
    }),
    results: {
      name,
      exists: present(true),
      publicAccessBlock: present({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      }),
      encryption: present("AES256"),
      policy: present(policy(tlsOnlyStatement(`arn:aws:s3:::${name}`))),
    },
    readable: specs.map((spec) => ({ spec, listing: present({ objects: 1 }) })),
    csvHeaders:
      cfg.format === "csv"
        ? specs
            .filter((s) => s.source !== "cloudtrail")
            .map((spec) => ({
              logType: spec.source as "client" | "audit",
              spec,
              header: present({ key: `${spec.name}/newest.csv`, columns: spec.columns.map((c) => c.name) }),
            }))
        : [],
  };
  return { ...f, query: present(q) };
}
const csv = () => healthy(csvLayer);
const q = (f: Facts): QueryFacts => (f.query as { value: QueryFacts }).value;
const table = (f: Facts, source: string) => {
  const t = q(f).tables.find((x) => x.spec.source === source)!.table;
  return (t as { value: import("../../../src/checks/query/facts.js").GlueTableView }).value;
};
const workgroup = (f: Facts) =>
  (q(f).workgroup as { value: import("../../../src/checks/query/facts.js").WorkgroupView }).value;

export const TABLES: AreaTables = {
  "query.tables": {
    valid: [
      { name: "the tables synth makes", facts: () => healthy() },
      { name: "CSV tables", facts: csv },
    ],
    invalid: [
      {
        name: "the client table reads another prefix",
        facts: () => healthy(),
        mutate: (f) => (table(f, "client").location = "s3://cloudsmith-acme-logs/old-logs/"),
        expect: "FAIL",
        oneOfSeveral: true,
      },
      {
        name: "the CSV table's columns in another order",
        facts: csv,
        mutate: (f) => table(f, "client").columns.reverse(),
        expect: "FAIL",
        oneOfSeveral: true,
      },
      {
        name: "the JSON table reads with the openx SerDe instead",
        facts: () => healthy(),
        mutate: (f) => (table(f, "audit").serde = "org.openx.data.jsonserde.JsonSerDe"),
        expect: "FAIL",
        oneOfSeveral: true,
      },
      {
        name: "the CloudTrail table is missing",
        facts: () => healthy(),
        mutate: (f) =>
          (q(f).tables.find((t) => t.spec.source === "cloudtrail")!.table = absent("EntityNotFoundException")),
        expect: "FAIL",
        oneOfSeveral: true,
      },
      {
        name: "a table cannot be read",
        facts: () => healthy(),
        mutate: (f) =>
          (q(f).tables[0]!.table = failed("AccessDeniedException (Glue.GetTable, which needs glue:GetTable)")),
        expect: "ERROR",
        oneOfSeveral: true,
      },
      { name: "no query layer in the config", expect: "SKIPPED" },
      { name: "the pack could not collect", facts: () => ({ ...healthy(), query: failed("denied") }), expect: "ERROR" },
    ],
  },
  "query.sources-readable": {
    valid: [{ name: "every location lists", facts: () => healthy() }],
    invalid: [
      {
        name: "an organization trail's bucket in another account refuses the listing",
        facts: () => healthy(),
        mutate: (f) =>
          (q(f).readable.find((x) => x.spec.source === "cloudtrail")!.listing = failed(
            "AccessDenied (S3.ListObjectsV2, which needs s3:ListBucket)",
          )),
        expect: "ERROR",
        oneOfSeveral: true,
      },
      {
        name: "the trail bucket named in the config does not exist",
        facts: () => healthy(),
        mutate: (f) => (q(f).readable.find((x) => x.spec.source === "cloudtrail")!.listing = absent("NoSuchBucket")),
        expect: "FAIL",
        oneOfSeveral: true,
      },
      {
        name: "nothing exported yet under a prefix",
        facts: () => healthy(),
        mutate: (f) => (q(f).readable[0]!.listing = present({ objects: 0 })),
        expect: "SKIPPED",
        oneOfSeveral: true,
      },
      { name: "no query layer in the config", expect: "SKIPPED" },
    ],
  },
  "query.csv-header": {
    valid: [{ name: "the newest exports' headers in the tables' order", facts: csv }],
    invalid: [
      {
        name: "two columns swapped in the newest client export",
        facts: csv,
        mutate: (f) => {
          const h = q(f).csvHeaders.find((x) => x.logType === "client")!.header as { value: { columns: string[] } };
          const cols = [...CLIENT_CSV_COLUMNS];
          [cols[5], cols[6]] = [cols[6]!, cols[5]!];
          h.value.columns = cols;
        },
        expect: "FAIL",
        oneOfSeveral: true,
      },
      {
        name: "a column added at the end",
        facts: csv,
        mutate: (f) => {
          const h = q(f).csvHeaders.find((x) => x.logType === "client")!.header as { value: { columns: string[] } };
          h.value.columns.push("asn");
        },
        expect: "FAIL",
        oneOfSeveral: true,
      },
      {
        name: "the newest export cannot be read",
        facts: csv,
        mutate: (f) => (q(f).csvHeaders[0]!.header = failed("AccessDenied (S3.GetObject, which needs s3:GetObject)")),
        expect: "ERROR",
        oneOfSeveral: true,
      },
      { name: "JSON exports", facts: () => healthy(), expect: "SKIPPED" },
    ],
  },
  "query.projection": {
    valid: [{ name: "from 2024/01/01 to NOW over the account and its region", facts: () => healthy() }],
    invalid: [
      {
        name: "the range ends last year",
        facts: () => healthy(),
        mutate: (f) => (table(f, "cloudtrail").parameters["projection.day.range"] = "2024/01/01,2025/12/31"),
        expect: "FAIL",
      },
      {
        name: "the account is not projected",
        facts: () => healthy(),
        mutate: (f) => (table(f, "cloudtrail").parameters["projection.account.values"] = "210987654321"),
        expect: "FAIL",
      },
      {
        name: "the template skips the region folder",
        facts: () => healthy(),
        mutate: (f) => {
          const p = table(f, "cloudtrail").parameters;
          p["storage.location.template"] = p["storage.location.template"]!.replace("/${region}", "");
        },
        expect: "FAIL",
      },
      {
        name: "the table cannot be read",
        facts: () => healthy(),
        mutate: (f) => (q(f).tables.find((t) => t.spec.source === "cloudtrail")!.table = failed("AccessDenied")),
        expect: "ERROR",
      },
      { name: "no trail", facts: () => healthy({ ...withLayer, cloudtrail: { mode: "none" } }), expect: "SKIPPED" },
    ],
  },
  "query.workgroup": {
    valid: [{ name: "enforced, encrypted, with a cutoff", facts: () => healthy() }],
    invalid: [
      { name: "not enforced", facts: () => healthy(), mutate: (f) => (workgroup(f).enforce = false), expect: "FAIL" },
      {
        name: "results unencrypted",
        facts: () => healthy(),
        mutate: (f) => delete workgroup(f).encryption,
        expect: "FAIL",
      },
      {
        name: "results in another bucket",
        facts: () => healthy(),
        mutate: (f) => (workgroup(f).outputLocation = "s3://someone-elses-bucket/results/"),
        expect: "FAIL",
      },
      {
        name: "a cutoff above the configured one",
        facts: () => healthy(),
        mutate: (f) => (workgroup(f).bytesScannedCutoff = 10 ** 15),
        expect: "FAIL",
      },
      {
        name: "no workgroup",
        facts: () => healthy(),
        mutate: (f) => (q(f).workgroup = absent("InvalidRequestException")),
        expect: "FAIL",
      },
      {
        name: "the workgroup cannot be read",
        facts: () => healthy(),
        mutate: (f) => (q(f).workgroup = failed("AccessDeniedException")),
        expect: "ERROR",
      },
    ],
  },
  "query.results-private": {
    valid: [{ name: "private, encrypted, TLS-only policy", facts: () => healthy() }],
    invalid: [
      {
        name: "Block Public Access off",
        facts: () => healthy(),
        mutate: (f) => (q(f).results.publicAccessBlock = absent("NoSuchPublicAccessBlockConfiguration")),
        expect: "FAIL",
      },
      {
        name: "a policy that lets another account read the results",
        facts: () => healthy(),
        mutate: (f) =>
          (q(f).results.policy = present(
            policy({
              Sid: "Partner",
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::444455556666:root" },
              Action: "s3:GetObject",
              Resource: `arn:aws:s3:::${q(f).results.name}/*`,
            }),
          )),
        expect: "FAIL",
      },
      {
        name: "a grant to everyone from one IP: cannot be decided",
        facts: () => healthy(),
        mutate: (f) =>
          (q(f).results.policy = present(
            policy({
              Effect: "Allow",
              Principal: "*",
              Action: "s3:GetObject",
              Resource: `arn:aws:s3:::${q(f).results.name}/*`,
              Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
            }),
          )),
        expect: "ERROR",
      },
      {
        name: "the policy cannot be read",
        facts: () => healthy(),
        mutate: (f) => (q(f).results.policy = failed("AccessDenied")),
        expect: "ERROR",
      },
    ],
  },
};
