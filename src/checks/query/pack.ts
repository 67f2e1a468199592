/** `verify --query-layer`: the Athena query layer (Glue tables, workgroup, results bucket) is as synth made it. */
import { attemptAws as attempt } from "../../aws/describe-error.js";
import { exportTargets, partition } from "../../config/derived.js";
import type { Config } from "../../config/schema.js";
import { failed } from "../../engine/fact.js";
import { resultsBucket, tableSpecs } from "../../query/tables.js";
import { usageError } from "../../util/errors.js";
import { flagSpec } from "../../util/flag-spec.js";
import { definePack, type PermissionNeed, type PolicySwitches } from "../pack.js";
import type { QueryView } from "./facts.js";
import { QUERY_RULES } from "./rules/index.js";

export interface QueryOptions {
  now?: Date;
  /** Only a policy is printed for the engine: --athena-engine adds what investigate --engine athena needs. */
  switches?: { athenaEngine: boolean };
}

const athenaOf = (cfg: Config) => cfg.query?.athena;
const glueArn = (cfg: Config, what: string) => `arn:${partition(cfg)}:glue:${cfg.region}:${cfg.accountId}:${what}`;

/** The Glue catalog, the layer's database and its tables. */
function glueArns(cfg: Config): string[] {
  const a = athenaOf(cfg)!;
  return [
    glueArn(cfg, "catalog"),
    glueArn(cfg, `database/${a.database}`),
    ...tableSpecs(cfg, a).map((t) => glueArn(cfg, `table/${a.database}/${t.name}`)),
  ];
}

/** Where the tables read: bucket ARNs and object ARNs under each table's location. */
function tableArns(cfg: Config): { buckets: string[]; objects: string[] } {
  const a = athenaOf(cfg)!;
  const buckets = new Set<string>();
  const objects = new Set<string>();
  for (const t of tableSpecs(cfg, a)) {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(t.location);
    if (!m) continue;
    buckets.add(`arn:${partition(cfg)}:s3:::${m[1]}`);
    objects.add(`arn:${partition(cfg)}:s3:::${m[1]}/${m[2]}*`);
  }
  return { buckets: [...buckets].sort(), objects: [...objects].sort() };
}

const engineOn = (cfg: Config, on: PolicySwitches) => on.athenaEngine === true && athenaOf(cfg) !== undefined;

/** What `investigate --engine athena` needs: Athena runs the query with the caller's permissions. */
const ATHENA_ENGINE: PermissionNeed[] = [
  {
    sid: "RunInvestigationsInAthena",
    operations: [
      "Athena.StartQueryExecution",
      "Athena.GetQueryExecution",
      "Athena.GetQueryResults",
      "Athena.StopQueryExecution",
    ],
    when: engineOn,
    resources: (cfg) => [
      `arn:${partition(cfg)}:athena:${cfg.region}:${cfg.accountId}:workgroup/${athenaOf(cfg)!.workgroup}`,
    ],
    on: "the query layer's workgroup",
    why: "--athena-engine: investigate --engine athena starts, polls, pages and stops its query",
  },
  {
    sid: "AthenaReadsTheTables",
    operations: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
    when: engineOn,
    resources: glueArns,
    on: "the Glue catalog, database and tables",
    why: "--athena-engine: Athena reads the table definitions as the caller",
  },
  {
    sid: "AthenaReadsTheLogs",
    operations: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject"],
    when: engineOn,
    resources: (cfg) => {
      const { buckets, objects } = tableArns(cfg);
      return [...buckets, ...objects];
    },
    on: "the buckets and prefixes the tables read",
    why: "--athena-engine: Athena reads the exports and the trail's files as the caller",
  },
  {
    sid: "AthenaWritesResults",
    operations: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
    when: engineOn,
    resources: (cfg) => {
      const a = athenaOf(cfg)!;
      const bucket = `arn:${partition(cfg)}:s3:::${resultsBucket(cfg, a)}`;
      return [bucket, `${bucket}/${a.resultsPrefix}/*`];
    },
    on: "the results bucket, under the results prefix",
    why: "--athena-engine: Athena writes the answer there and the tool reads it back",
  },
  {
    sid: "AthenaUsesTheKeys",
    operations: ["kms:Decrypt", "kms:GenerateDataKey"],
    when: (cfg, on) =>
      engineOn(cfg, on) && (cfg.encryption.type === "SSE-KMS" || cfg.cloudtrail.kmsKeyArn !== undefined),
    resources: (cfg) =>
      [
        ...(cfg.encryption.type === "SSE-KMS" ? [cfg.encryption.kmsKeyArn] : []),
        ...(cfg.cloudtrail.kmsKeyArn ? [cfg.cloudtrail.kmsKeyArn] : []),
      ].sort(),
    on: "the exports' and the trail's KMS keys, through S3 only",
    why: "--athena-engine: SSE-KMS exports and trail files are decrypted, SSE-KMS results encrypted, by S3 for Athena",
    condition: (cfg) => ({ StringEquals: { "kms:ViaService": `s3.${cfg.region}.amazonaws.com` } }),
  },
];

export const queryPack = definePack<QueryOptions, QueryView>({
  id: "query",
  groups: [["query", "Query layer"]],
  rules: QUERY_RULES,
  switchFlag: "--query-layer",
  flags: [
    flagSpec({
      flags: "--query-layer",
      help: "also check the Athena query layer (config `query.athena`): tables, CSV header order, projection, workgroup, results bucket",
    }),
    flagSpec({
      flags: "--athena-engine",
      help: "with --print-iam-policy: add what `investigate --engine athena` needs (run queries, read the tables' objects, write results)",
    }),
  ],
  options({ values, staticPath, now }) {
    if (values.athenaEngine && !values.printIamPolicy)
      throw usageError("--athena-engine only changes the policy --print-iam-policy prints");
    if (!values.queryLayer && !values.athenaEngine) return undefined;
    if (staticPath !== undefined)
      throw usageError("--query-layer reads the deployed Glue tables and workgroup; it does not combine with --static");
    return { now, switches: { athenaEngine: values.athenaEngine === true } };
  },
  configFields: { query: ["query"] },
  permissions: [
    {
      sid: "ReadTheQueryTables",
      operations: ["Glue.GetDatabase", "Glue.GetTable"],
      when: (cfg, on) => on.query === true && athenaOf(cfg) !== undefined,
      resources: glueArns,
      on: "the Glue catalog, the query layer's database and its tables",
      why: "--query-layer: compare each table with the one synth generates",
    },
    {
      sid: "ReadTheWorkgroup",
      operations: ["Athena.GetWorkGroup"],
      when: (cfg, on) => on.query === true && athenaOf(cfg) !== undefined,
      resources: (cfg) => [
        `arn:${partition(cfg)}:athena:${cfg.region}:${cfg.accountId}:workgroup/${athenaOf(cfg)!.workgroup}`,
      ],
      on: "the query layer's workgroup",
      why: "--query-layer: its enforced settings, results location and encryption",
    },
    {
      sid: "ReadTheResultsBucket",
      operations: [
        "S3.HeadBucket",
        "S3.GetBucketPolicy",
        "S3.GetPublicAccessBlock",
        "S3.GetBucketOwnershipControls",
        "S3.GetBucketRequestPayment",
        "S3.GetBucketEncryption",
      ],
      when: (cfg, on) => on.query === true && athenaOf(cfg) !== undefined,
      resources: (cfg) => [`arn:${partition(cfg)}:s3:::${resultsBucket(cfg, athenaOf(cfg)!)}`],
      on: "the query results bucket",
      why: "--query-layer: the results bucket is private and encrypted",
    },
    {
      sid: "ListWhereTheTablesRead",
      operations: ["S3.ListObjectsV2"],
      when: (cfg, on) => on.query === true && athenaOf(cfg) !== undefined,
      resources: (cfg) => tableArns(cfg).buckets,
      on: "the buckets the tables read",
      why: "--query-layer: whoever runs the checks can list each table's location",
    },
    {
      sid: "ReadTheCsvHeaders",
      operations: ["S3.ListObjectsV2", "S3.GetObject"],
      when: (cfg, on) => on.query === true && athenaOf(cfg) !== undefined && cfg.format === "csv",
      resources: (cfg) => [
        `arn:${partition(cfg)}:s3:::${cfg.bucket.name}`,
        ...exportTargets(cfg).map((t) => t.objectArn),
      ],
      on: "the export bucket and the objects under the export prefixes",
      why: "--query-layer with CSV exports: the newest export's header line",
    },
    ...ATHENA_ENGINE,
  ],
  async collect(ctx, options, facts) {
    const athena = athenaOf(ctx.config);
    if (!athena) return; // its rules are not applicable
    const { collectQuery } = await import("./collect.js");
    const clients = await ctx.clients();
    facts.query = await attempt(() => collectQuery(clients, ctx.config, athena, options.now ?? new Date()));
  },
  fail(facts, detail) {
    facts.query = failed(detail);
  },
});
