/**
 * The optional Athena query layer (`query.athena`): a Glue database with a table per source, an
 * enforced workgroup whose results are encrypted and expire, and the investigation's named
 * queries. `investigate --engine athena` runs against it.
 */
import { z } from "zod";
import { ruled } from "./ruled.js";
import {
  checkBucketName,
  checkGlueName,
  checkPrefix,
  checkProjectionStart,
  checkWorkgroupName,
  errorsOf,
} from "./rules.js";

export const DEFAULT_ATHENA_DATABASE = "cloudsmith_logs";
export const DEFAULT_WORKGROUP = "cloudsmith-log-export";

export const AthenaSchema = z
  .object({
    database: ruled(checkGlueName)
      .default(DEFAULT_ATHENA_DATABASE)
      .meta({ description: "Glue database holding the tables (lower-case letters, digits and '_')." }),
    workgroup: ruled(checkWorkgroupName)
      .default(DEFAULT_WORKGROUP)
      .meta({ description: "Athena workgroup the investigations run in; its settings are enforced." }),
    resultsBucket: z.string().optional().meta({
      description: "Bucket for query results (created here). Default: '<export bucket>-athena-results'.",
    }),
    resultsPrefix: z
      .string()
      .default("results")
      .superRefine((value, ctx) => {
        for (const p of errorsOf(checkPrefix(value))) ctx.addIssue({ code: "custom", message: p.rule, input: value });
        if (value === "") ctx.addIssue({ code: "custom", message: "results need a prefix of their own", input: value });
      })
      .transform((v) => v.replace(/\/$/, "")),
    resultsExpireDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(7)
      .meta({ description: "Query results (copies of log rows) are deleted after this many days." }),
    bytesScannedCutoffMb: z
      .number()
      .int()
      .min(10, "Athena's smallest bytes-scanned cutoff is 10 MB")
      .max(7_000_000)
      .default(10_240)
      .meta({ description: "A query that would scan more than this is cancelled by Athena (cost guard)." }),
    projectionStart: ruled(checkProjectionStart)
      .default("2024/01/01")
      .meta({ description: "First day (YYYY/MM/DD) the CloudTrail table's date projection covers; it ends at NOW." }),
    accounts: z
      .array(z.string().regex(/^\d{12}$/, "an AWS account ID is exactly 12 digits"))
      .default([])
      .meta({ description: "More accounts whose CloudTrail folders the table projects (organization trails)." }),
    trailBucket: z.string().optional().meta({
      description: "With an existing trail: the bucket it delivers to (the trail is read-only, so synth cannot look).",
    }),
    trailPrefix: z
      .string()
      .optional()
      .meta({ description: "With an existing trail: its S3 key prefix ('' for none)." }),
  })
  .strict()
  .superRefine((a, ctx) => {
    for (const [k, v] of [
      ["resultsBucket", a.resultsBucket],
      ["trailBucket", a.trailBucket],
    ] as const) {
      if (v === undefined) continue;
      for (const p of errorsOf(checkBucketName(v, { existing: k === "trailBucket" })))
        ctx.addIssue({ code: "custom", path: [k], message: p.rule, input: v });
    }
  });

export const QuerySchema = z
  .object({
    athena: AthenaSchema.optional().meta({
      description:
        "Synthesize the Athena query layer (Glue tables, workgroup, named queries) for investigate --engine athena.",
    }),
  })
  .strict();

export type AthenaConfig = z.output<typeof AthenaSchema>;
