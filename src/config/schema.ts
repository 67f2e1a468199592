/**
 * The export config: one zod schema that parses the JSON file, applies AWS's
 * rules field by field (so every error is reported at once) and generates the
 * published JSON Schema (schema/cloudsmith-log-export.schema.json).
 */

import { z } from "zod";
import { hasControl } from "../util/printable.js";
import { ruled } from "./ruled.js";
import {
  ACCOUNT_ID_PATTERN,
  checkAccountId,
  checkBucketName,
  checkCloudsmithPartition,
  checkDynamoDbTable,
  checkExternalId,
  checkKmsKeyArn,
  checkKmsKeyRegion,
  checkOrgSlug,
  checkPrefix,
  checkRegion,
  checkRepositorySlug,
  checkRoleName,
  checkStateKey,
  checkTagKey,
  checkTagValue,
  checkTrailName,
  EXTERNAL_ID_PATTERN,
  errorsOf,
  normalisePrefix,
  partitionOf,
  ROLE_NAME_PATTERN,
} from "./rules.js";

export type { Excludable, ExportFormat, LogType } from "./constants.js";
export {
  DEFAULT_PREFIXES,
  DEFAULT_ROLE_NAME,
  DEFAULT_TRAIL_NAME,
  DEFAULT_TRAIL_PREFIX,
  EXCLUDABLE,
  FORMATS,
  LOG_TYPES,
} from "./constants.js";

import { AuditorRoleSchema } from "./auditor-schema.js";
import { DEFAULT_ROLE_NAME, DEFAULT_TRAIL_NAME, DEFAULT_TRAIL_PREFIX, EXCLUDABLE, FORMATS } from "./constants.js";
import { QuerySchema } from "./query-schema.js";
import { SiemSchema } from "./siem-schema.js";

const prefix = (maxLength?: number) =>
  z
    .string()
    .superRefine((value, ctx) => {
      for (const p of errorsOf(checkPrefix(value, { maxLength })))
        ctx.addIssue({ code: "custom", message: p.rule, input: value });
    })
    .transform(normalisePrefix);

const LogTypeSchema = z
  .object({
    prefix: prefix()
      .default("")
      .meta({ description: "S3 key prefix (folder) for this log type; empty = bucket root." }),
  })
  .strict();

const BucketSchema = z
  .object({
    name: z.string().meta({ description: "S3 bucket that receives the exports." }),
    existing: z
      .boolean()
      .default(false)
      .meta({ description: "true: the bucket already exists and is not managed here (its policy is never touched)." }),
  })
  .strict()
  .superRefine((bucket, ctx) => {
    for (const p of errorsOf(checkBucketName(bucket.name, { existing: bucket.existing }))) {
      ctx.addIssue({ code: "custom", path: ["name"], message: p.rule, input: bucket.name });
    }
  });

const ScopeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("organization") }).strict(),
  z
    .object({
      type: z.literal("repositories"),
      repositories: z
        .array(ruled(checkRepositorySlug))
        .min(1, "list at least one repository, or use the organization scope"),
    })
    .strict(),
]);

/** arn:<partition>:cloudtrail:<region>:<account>:trail/<name> */
export const TRAIL_ARN_PATTERN =
  /^arn:aws(?:-[a-z]+)*:cloudtrail:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:trail\/[A-Za-z0-9._-]{3,128}$/;
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

const CloudTrailSchema = z
  .object({
    mode: z.enum(["create", "existing", "none"]).default("create").meta({
      description:
        "create: a trail of our own (default). existing: check the trail in trailArn (an organization or Control Tower trail); nothing is created. none: no audit trail is checked.",
    }),
    trailArn: z.string().optional().meta({
      description: "With mode existing: the trail's ARN, arn:aws:cloudtrail:<region>:<account>:trail/<name>.",
    }),
    organizationId: z.string().optional().meta({
      description:
        "With mode existing and an organization trail: the organization id (o-...), if the Organizations API cannot be read.",
    }),
    name: ruled(checkTrailName).default(DEFAULT_TRAIL_NAME),
    prefix: prefix(200)
      .default(DEFAULT_TRAIL_PREFIX)
      .meta({ description: "S3 key prefix for CloudTrail log files (at most 200 characters)." }),
    multiRegion: z.boolean().default(true),
    dataEvents: z.boolean().default(true).meta({
      description:
        "Record S3 object-level (data) events on the export prefixes: an audit trail of Cloudsmith's writes.",
    }),
    kmsKeyArn: z
      .string()
      .optional()
      .meta({ description: "Customer KMS key for the trail's log files (CIS CloudTrail.2)." }),
    bucket: z.string().optional().meta({
      description:
        "Dedicated trail bucket, used when the export bucket is existing or the trail's files are under Object Lock. Default: '<bucket>-trail'.",
    }),
  })
  .strict()
  .superRefine((trail, ctx) => {
    const issue = (path: string, message: string, input: unknown) =>
      ctx.addIssue({ code: "custom", path: [path], message, input });
    if (trail.bucket !== undefined) {
      for (const p of errorsOf(checkBucketName(trail.bucket))) issue("bucket", p.rule, trail.bucket);
    }
    if (trail.mode === "existing") {
      if (trail.trailArn === undefined) issue("trailArn", "mode existing needs the trail's ARN", undefined);
      else if (!TRAIL_ARN_PATTERN.test(trail.trailArn))
        issue(
          "trailArn",
          "must be a trail ARN: arn:aws:cloudtrail:<region>:<12-digit account>:trail/<name>",
          trail.trailArn,
        );
      for (const k of ["bucket", "kmsKeyArn"] as const)
        if (trail[k] !== undefined) issue(k, "only applies with mode create: the existing trail decides it", trail[k]);
    } else {
      for (const k of ["trailArn", "organizationId"] as const)
        if (trail[k] !== undefined) issue(k, "only applies with mode existing", trail[k]);
    }
    if (trail.organizationId !== undefined && !ORGANIZATION_ID_PATTERN.test(trail.organizationId))
      issue(
        "organizationId",
        "must be an organization id: o- and 10 to 32 lower-case letters or digits",
        trail.organizationId,
      );
  });

const EncryptionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("SSE-S3") }).strict(),
  z.object({ type: z.literal("SSE-KMS"), kmsKeyArn: z.string() }).strict(),
]);

const BackendSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("local") }).strict(),
  z
    .object({
      type: z.literal("s3"),
      bucket: ruled((v) => checkBucketName(v, { existing: true })),
      key: ruled(checkStateKey).meta({
        description: "The state object's key in the bucket (1-1024 bytes, no leading '/').",
      }),
      region: ruled(checkRegion),
      useLockfile: z.boolean().default(true).meta({ description: "S3-native state locking (Terraform >= 1.10)." }),
      dynamodbTable: ruled(checkDynamoDbTable)
        .optional()
        .meta({ description: "Legacy DynamoDB lock table (3-255 of letters, digits, '_', '-', '.')." }),
    })
    .strict(),
]);

export const SuppressionSchema = z
  .object({
    // One rule by its id: a wildcard would silence rules added later, unreviewed.
    rule: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/,
        "a suppression names one rule by its id (e.g. trust.external-id, see --list-rules); wildcards such as '*' are not allowed",
      ),
    reason: z
      .string()
      .refine(
        (r) => r.trim().length >= 10,
        "a suppression needs a reason of at least 10 characters that a reviewer can judge",
      )
      .refine((r) => !hasControl(r), "a suppression reason is printable text: no control or bidirectional characters")
      .refine((r) => r.length <= 1000, "a suppression reason is at most 1000 characters"),
  })
  .strict();

export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    accountId: ruled(checkAccountId).meta({
      pattern: ACCOUNT_ID_PATTERN.source,
      description: "12-digit AWS account ID, as a string.",
    }),
    organization: ruled(checkOrgSlug).optional().meta({
      description: "Cloudsmith organization slug; used in the hand-off message and the suggested bucket name.",
    }),
    region: ruled(checkRegion).meta({ description: "AWS region of the bucket and the trail's home region." }),
    bucket: BucketSchema,
    logTypes: z
      .object({ client: LogTypeSchema.optional(), audit: LogTypeSchema.optional() })
      .strict()
      .refine(
        (t) => t.client !== undefined || t.audit !== undefined,
        "configure at least one log type: client or audit",
      )
      .meta({ description: "Log types to export, each with its own prefix. One folder per type is recommended." }),
    roleName: ruled(checkRoleName)
      .default(DEFAULT_ROLE_NAME)
      .meta({ pattern: ROLE_NAME_PATTERN.source, description: "IAM role Cloudsmith assumes; created with path '/'." }),
    format: z.enum(FORMATS).default("json-stream-timestamp"),
    scope: ScopeSchema.default({ type: "organization" }),
    exclude: z
      .array(z.enum(EXCLUDABLE))
      .default([])
      .refine((xs) => new Set(xs).size === xs.length, "list each excluded field once")
      .meta({ description: "Fields Cloudsmith leaves out of exported records." }),
    externalId: ruled(checkExternalId).optional().meta({
      pattern: EXTERNAL_ID_PATTERN.source,
      description: "External ID issued by Cloudsmith. Absent: Terraform asks for variable cloudsmith_external_id.",
    }),
    cloudtrail: CloudTrailSchema.default(() => CloudTrailSchema.parse({})),
    encryption: EncryptionSchema.default({ type: "SSE-S3" }),
    versioning: z.boolean().default(true),
    lifecycle: z
      .object({ expireAfterDays: z.number().int().min(1).max(36500) })
      .strict()
      .optional()
      .meta({ description: "Expire exported objects after this many days (applies to the export prefixes)." }),
    tags: z
      .record(ruled(checkTagKey), ruled(checkTagValue))
      .default({})
      .refine((t) => Object.keys(t).length <= 50, "at most 50 tags"),
    backend: BackendSchema.default({ type: "local" }),
    auditorRole: AuditorRoleSchema.optional().meta({
      description: "synth also creates a read-only role with exactly the policy verify needs, for a CI drift check.",
    }),
    retention: z
      .object({
        profile: z.enum(["pci-dss"]).optional().meta({
          description: "pci-dss: PCI DSS v4.0 10.5.1, 365 days kept, the most recent 90 immediately available.",
        }),
        days: z.number().int().min(1).max(36500).optional().meta({
          description:
            "Keep the export and trail files at least this many days (no lifecycle rule deletes them sooner).",
        }),
        immediateDays: z.number().int().min(0).max(36500).optional().meta({
          description:
            "Keep them in an immediately readable storage class this many days (no archive transition sooner).",
        }),
        objectLock: z
          .object({
            mode: z.enum(["governance", "compliance"]).meta({
              description:
                "governance: users with s3:BypassGovernanceRetention can still delete; compliance: nobody can, the root user included, until the period ends.",
            }),
          })
          .strict()
          .optional()
          .meta({
            description:
              "S3 Object Lock on the trail's files, in a bucket of their own (created with Object Lock; it cannot be turned off). Never on the export prefixes.",
          }),
      })
      .strict()
      .superRefine((r, ctx) => {
        if (r.profile === undefined && r.days === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["days"],
            message: "give days, or a profile (pci-dss)",
            input: undefined,
          });
        const min = r.profile === "pci-dss" ? { days: 365, immediateDays: 90 } : undefined;
        if (min && r.days !== undefined && r.days < min.days)
          ctx.addIssue({
            code: "custom",
            path: ["days"],
            message: `the pci-dss profile keeps at least ${min.days} days`,
            input: r.days,
          });
        if (min && r.immediateDays !== undefined && r.immediateDays < min.immediateDays)
          ctx.addIssue({
            code: "custom",
            path: ["immediateDays"],
            message: `the pci-dss profile keeps at least ${min.immediateDays} days immediately available`,
            input: r.immediateDays,
          });
      })
      .optional()
      .meta({
        description: "How long evidence is kept: synth's lifecycle rules and verify's retention.lifecycle follow it.",
      }),
    query: QuerySchema.optional().meta({ description: "Query layers for investigate at scale." }),
    siem: SiemSchema.optional().meta({
      description:
        "SIEM hand-off: an SQS queue per bucket fed by S3 event notifications, and a read-only role for the SIEM.",
    }),
    suppressions: z.array(SuppressionSchema).default([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const kept = cfg.retention && (cfg.retention.days ?? (cfg.retention.profile === "pci-dss" ? 365 : 0));
    if (kept && cfg.lifecycle && cfg.lifecycle.expireAfterDays < kept)
      ctx.addIssue({
        code: "custom",
        path: ["lifecycle", "expireAfterDays"],
        message: `expires exports after ${cfg.lifecycle.expireAfterDays} days, before the ${kept} days retention keeps them`,
        input: cfg.lifecycle.expireAfterDays,
      });
    if (cfg.retention?.objectLock && cfg.cloudtrail.mode !== "create")
      ctx.addIssue({
        code: "custom",
        path: ["retention", "objectLock"],
        message:
          "Object Lock applies to the trail this tool creates (cloudtrail.mode create): an existing trail's bucket is not ours to lock",
        input: cfg.retention.objectLock,
      });
    const athena = cfg.query?.athena;
    if (athena && cfg.cloudtrail.mode === "existing" && athena.trailBucket === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["query", "athena", "trailBucket"],
        message:
          "with an existing trail, name the bucket it delivers to (and trailPrefix): synth never reads the trail",
        input: undefined,
      });
    if (athena && cfg.cloudtrail.mode !== "existing")
      for (const k of ["trailBucket", "trailPrefix"] as const)
        if (athena[k] !== undefined)
          ctx.addIssue({
            code: "custom",
            path: ["query", "athena", k],
            message: "only applies with cloudtrail.mode existing",
            input: athena[k],
          });
    for (const p of errorsOf(checkCloudsmithPartition(cfg.region)))
      ctx.addIssue({ code: "custom", path: ["region"], message: p.rule, input: cfg.region });
    const reader = cfg.siem?.reader;
    const readerAccount = reader && /:iam::(\d{12}):/.exec(reader.principal)?.[1];
    if (reader && readerAccount !== cfg.accountId && reader.externalId === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["siem", "reader", "externalId"],
        message: `the SIEM's principal is in another account (${readerAccount}): give the External ID it issued, or anyone it serves could read your logs through it`,
        input: undefined,
      });
    const partition = partitionOf(cfg.region);
    const kmsFields: Array<[string[], string | undefined]> = [
      [["cloudtrail", "kmsKeyArn"], cfg.cloudtrail.kmsKeyArn],
      [["encryption", "kmsKeyArn"], cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined],
      [["siem", "kmsKeyArn"], cfg.siem?.kmsKeyArn],
    ];
    for (const [path, arn] of kmsFields) {
      if (arn === undefined) continue;
      for (const p of errorsOf([...checkKmsKeyArn(arn, partition), ...checkKmsKeyRegion(arn, cfg.region)]))
        ctx.addIssue({ code: "custom", path, message: p.rule, input: arn });
    }
  });

/** The config as the file states it (defaults optional). */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** The config with every default applied: what the rest of the tool works on. */
export type Config = z.output<typeof ConfigSchema>;
