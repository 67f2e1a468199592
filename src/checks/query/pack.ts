/** `verify --query-layer`: the Athena query layer (Glue tables, workgroup, results bucket) is as synth made it. */
import { attemptAws as attempt } from "../../aws/describe-error.js";
import { exportTargets, partition } from "../../config/derived.js";
import type { Config } from "../../config/schema.js";
import { failed } from "../../engine/fact.js";
import { resultsBucket, tableSpecs } from "../../query/tables.js";
import { usageError } from "../../util/errors.js";
import { flagSpec } from "../../util/flag-spec.js";
import { definePack } from "../pack.js";
import type { QueryView } from "./facts.js";
import { QUERY_RULES } from "./rules/index.js";

export interface QueryOptions {
  now?: Date;
}

const athenaOf = (cfg: Config) => cfg.query?.athena;
const glueArn = (cfg: Config, what: string) => `arn:${partition(cfg)}:glue:${cfg.region}:${cfg.accountId}:${what}`;

export const queryPack = definePack<QueryOptions, QueryView>({
  id: "query",
  groups: [["query", "Query layer"]],
  rules: QUERY_RULES,
  switchFlag: "--query-layer",
  flags: [
    flagSpec({
      flags: "--query-layer",
      help: "also check the Athena query layer (config query.athena): tables, CSV header order, projection, workgroup, results bucket",
    }),
  ],
  options({ values, staticPath, now }) {
    if (!values.queryLayer) return undefined;
    if (staticPath !== undefined)
      throw usageError("--query-layer reads the deployed Glue tables and workgroup; it does not combine with --static");
    return { now };
  },
  configFields: { query: ["query"] },
  permissions: [
    {
      sid: "ReadTheQueryTables",
      operations: ["Glue.GetDatabase", "Glue.GetTable"],
      when: (cfg, on) => on.query === true && athenaOf(cfg) !== undefined,
      resources: (cfg) => {
        const a = athenaOf(cfg)!;
        return [
          glueArn(cfg, "catalog"),
          glueArn(cfg, `database/${a.database}`),
          ...tableSpecs(cfg, a).map((t) => glueArn(cfg, `table/${a.database}/${t.name}`)),
        ];
      },
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
