import { PRINCIPAL_ARN_PATTERN } from "../../config/auditor-schema.js";
import { defaultTrailBucket } from "../../config/derived.js";
import {
  checkBucketName,
  checkExternalId,
  checkKmsKeyArn,
  checkKmsKeyRegion,
  checkTrailName,
  partitionOf,
} from "../../config/rules.js";
import { DEFAULT_TRAIL_NAME, TRAIL_ARN_PATTERN } from "../../config/schema.js";
import { answer, validateWith } from "../context.js";
import { type Step, sub } from "./types.js";

/** CloudTrail bills every copy of management events after the first (CloudTrail pricing). */
const COST_NOTE =
  "a second trail pays again for every management event the organization's trail already records ($2.00 per 100,000)";

export const cloudTrailStep: Step = {
  id: "cloudtrail",
  label: "CloudTrail",
  async run(ctx) {
    const trail = sub(ctx.draft, "cloudtrail");
    const trails = ctx.interactive && !ctx.fixed.has("cloudtrailMode") ? await ctx.accountTrails() : undefined;
    const mode = await answer<string>(ctx, {
      key: "cloudtrailMode",
      default: (trail.mode as string | undefined) ?? "create",
      ask: async (d) => {
        const existing = (trails ?? []).map((t) => ({
          name: `Use ${t.organization ? "organization trail" : "trail"} ${t.name} (${t.homeRegion})${t.lacks.length ? `: lacks ${t.lacks.join(", ")}` : ": meets the requirements"}`,
          value: `existing ${t.arn}`,
          description: t.lacks.length
            ? "verify will fail until the trail is fixed"
            : `nothing to create; ${COST_NOTE} otherwise`,
        }));
        const choice = await ctx.prompts.select<string>({
          message: "Audit trail for CodeArtifact and S3 activity, including Cloudsmith's writes",
          default: existing.find((e) => !e.name.includes("lacks"))?.value ?? d,
          choices: [
            ...existing,
            {
              name: "Create a trail of our own",
              value: "create",
              description: existing.length
                ? COST_NOTE
                : "multi-region, log file validation, S3 data events on the export prefixes",
            },
            ...(existing.length === 0
              ? [
                  {
                    name: "Use an existing trail (enter its ARN)",
                    value: "existing",
                    description: "an organization or Control Tower trail",
                  },
                ]
              : []),
            { name: "No trail", value: "none", description: "nothing is audited; verify says so plainly" },
          ],
        });
        if (choice.startsWith("existing ")) {
          trail.trailArn = choice.slice("existing ".length);
          return "existing";
        }
        return choice;
      },
    });
    if (mode !== undefined) trail.mode = mode as "create" | "existing" | "none";
    if (trail.mode === "none") return;
    if (trail.mode === "existing") {
      const arn = await answer(ctx, {
        key: "trailArn",
        default: trail.trailArn as string | undefined,
        ask: (d) =>
          d !== undefined
            ? Promise.resolve(d)
            : ctx.prompts.input({
                message: "The existing trail's ARN",
                validate: (v) =>
                  TRAIL_ARN_PATTERN.test(v.trim()) || "a trail ARN: arn:aws:cloudtrail:<region>:<account>:trail/<name>",
              }),
      });
      if (arn !== undefined) trail.trailArn = arn.trim();
    } else {
      const name = await answer(ctx, {
        key: "trailName",
        default: (trail.name as string | undefined) ?? DEFAULT_TRAIL_NAME,
        ask: (d) => ctx.prompts.input({ message: "Trail name", default: d, validate: validateWith(checkTrailName) }),
      });
      if (name !== undefined) trail.name = name.trim();
    }
    const dataEvents = await answer(ctx, {
      key: "dataEvents",
      default: (trail.dataEvents as boolean | undefined) ?? true,
      ask: (d) =>
        ctx.prompts.confirm({
          message:
            trail.mode === "existing"
              ? "Require S3 data events on the export prefixes (synth prints the selector to add to the trail)?"
              : "Record S3 data events on the export prefixes (who wrote each log file)?",
          default: d,
        }),
    });
    if (dataEvents !== undefined) trail.dataEvents = dataEvents;
    if (trail.mode === "existing") return;
    const multiRegion = await answer(ctx, {
      key: "multiRegion",
      default: (trail.multiRegion as boolean | undefined) ?? true,
      ask: (d) => ctx.prompts.confirm({ message: "Record all regions (CIS CloudTrail.1; recommended)?", default: d }),
    });
    if (multiRegion !== undefined) trail.multiRegion = multiRegion;
    if (ctx.draft.bucket?.existing) {
      const bucket = await answer(ctx, {
        key: "trailBucket",
        // Only a valid suggestion: a legacy bucket name is made to follow today's rules.
        default: (trail.bucket as string | undefined) ?? defaultTrailBucket(ctx.draft.bucket.name ?? "cloudsmith"),
        ask: (d) =>
          ctx.prompts.input({
            message: "New bucket for the trail (the existing bucket's policy is never changed)",
            default: d,
            validate: validateWith(checkBucketName),
          }),
      });
      if (bucket !== undefined) trail.bucket = bucket.trim();
    }
  },
  summary: (d) => {
    const t = d.cloudtrail;
    if (t?.mode === "none") return [["CloudTrail", "none: nothing is audited"]];
    if (t?.mode === "existing")
      return [
        [
          "CloudTrail",
          `existing ${t.trailArn ?? "(no ARN)"}${t.dataEvents === false ? "" : ", S3 data events required"}`,
        ],
      ];
    const opts = [
      t?.multiRegion === false ? "home region only" : "all regions",
      t?.dataEvents === false ? "no S3 data events" : "S3 data events on the export prefixes",
    ];
    return [["CloudTrail", `create ${t?.name ?? DEFAULT_TRAIL_NAME} (${opts.join(", ")})`]];
  },
};

export const encryptionStep: Step = {
  id: "encryption",
  label: "Encryption",
  async run(ctx) {
    const current = ctx.draft.encryption;
    const kms = await answer<string | null>(ctx, {
      key: "kmsKeyArn",
      default: current?.type === "SSE-KMS" ? current.kmsKeyArn : null,
      ask: async (d) => {
        const useKms = await ctx.prompts.select({
          message: "Bucket encryption",
          default: d !== null && d !== undefined,
          choices: [
            {
              name: "SSE-S3, keys managed by S3 (recommended)",
              value: false,
              description: "Works with Cloudsmith's documented policy as is",
            },
            {
              name: "SSE-KMS with my customer managed key",
              value: true,
              description: "The role also gets kms:GenerateDataKey on the key, by policy and a KMS grant",
            },
          ],
        });
        if (!useKms) return null;
        const partition = partitionOf(ctx.draft.region ?? "");
        return ctx.prompts.input({
          message: "KMS key ARN",
          default: d ?? undefined,
          // The key must be in the bucket's region; S3 refuses any other.
          validate: validateWith((v) => [
            ...checkKmsKeyArn(v, partition),
            ...(ctx.draft.region ? checkKmsKeyRegion(v, ctx.draft.region) : []),
          ]),
        });
      },
    });
    if (kms !== undefined)
      ctx.draft.encryption = kms === null ? { type: "SSE-S3" } : { type: "SSE-KMS", kmsKeyArn: kms.trim() };
  },
  summary: (d) => [["Encryption", d.encryption?.type === "SSE-KMS" ? `SSE-KMS (${d.encryption.kmsKeyArn})` : "SSE-S3"]],
};

/** The optional Athena query layer: investigations over months of logs without downloading them. */
export const queryStep: Step = {
  id: "query",
  label: "Athena query layer",
  async run(ctx) {
    const has = ctx.draft.query?.athena !== undefined;
    const athena = await answer<boolean>(ctx, {
      key: "athena",
      default: has,
      ask: (d) =>
        ctx.prompts.confirm({
          message: "Add an Athena query layer (investigate months of logs in place; billed per byte scanned)?",
          default: d,
        }),
    });
    if (athena === undefined) return;
    if (athena) ctx.draft.query = { ...ctx.draft.query, athena: ctx.draft.query?.athena ?? {} };
    else if (ctx.draft.query) delete ctx.draft.query.athena;
  },
  summary: (d) => [
    [
      "Athena",
      d.query?.athena
        ? `query layer: database ${d.query.athena.database ?? "cloudsmith_logs"}, workgroup ${d.query.athena.workgroup ?? "cloudsmith-log-export"}`
        : "none (investigate runs on this machine)",
    ],
  ],
};

/** How long the evidence is kept: a profile auditors name, a number of days, or no promise. */
export const retentionStep: Step = {
  id: "retention",
  label: "Retention",
  async run(ctx) {
    const r = ctx.draft.retention;
    const choice = await answer<string>(ctx, {
      key: "retentionProfile",
      default: r?.profile ?? (r?.days !== undefined ? "days" : "none"),
      ask: (d) =>
        ctx.prompts.select<string>({
          message: "How long must the logs be kept?",
          default: d,
          choices: [
            {
              name: "No requirement",
              value: "none",
              description: "nothing is checked; lifecycle rules may expire logs whenever they say",
            },
            {
              name: "PCI DSS v4.0 (12 months, the last 3 immediately available)",
              value: "pci-dss",
              description:
                "10.5.1: verify fails any lifecycle rule that deletes logs before 365 days or archives them before 90",
            },
            {
              name: "A number of days",
              value: "days",
              description: "your policy's period (SOC 2 and ISO 27001 leave it to you); verify holds the buckets to it",
            },
          ],
        }),
    });
    if (choice === undefined) return;
    if (choice === "none") {
      delete ctx.draft.retention;
      return;
    }
    if (choice === "pci-dss") {
      ctx.draft.retention = { profile: "pci-dss", ...(await lockAnswer(ctx, r?.objectLock?.mode)) };
      return;
    }
    const days = await answer<string>(ctx, {
      key: "retentionDays",
      default: String(r?.days ?? 365),
      ask: (d) =>
        ctx.prompts.input({
          message: "Keep the logs at least this many days",
          default: d,
          validate: (v) =>
            (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 36500) || "a whole number of days, 1-36500",
        }),
    });
    if (days !== undefined)
      ctx.draft.retention = { days: Number(days), ...(await lockAnswer(ctx, r?.objectLock?.mode)) };
  },
  summary: (d) => [
    [
      "Retention",
      `${
        d.retention?.profile === "pci-dss"
          ? "PCI DSS v4.0: 365 days, 90 immediately available"
          : d.retention?.days !== undefined
            ? `${d.retention.days} days`
            : "none required"
      }${d.retention?.objectLock ? `; the trail's files under Object Lock (${d.retention.objectLock.mode})` : ""}`,
    ],
  ],
};

/** Whether to lock the trail's files, each choice saying what it cannot undo; only for a trail this tool creates. */
async function lockAnswer(
  ctx: Parameters<Step["run"]>[0],
  current: "governance" | "compliance" | undefined,
): Promise<{ objectLock?: { mode: "governance" | "compliance" } }> {
  if ((ctx.draft.cloudtrail?.mode ?? "create") !== "create") return {};
  const mode = await answer<string>(ctx, {
    key: "objectLock",
    default: current ?? "none",
    ask: (d) =>
      ctx.prompts.select<string>({
        message: "Lock the trail's files with S3 Object Lock?",
        default: d,
        choices: [
          {
            name: "No",
            value: "none",
            description: "lifecycle rules and verify keep the files; an administrator can still delete them",
          },
          {
            name: "Governance mode",
            value: "governance",
            description:
              "a bucket of their own; only principals allowed s3:BypassGovernanceRetention can delete a file early",
          },
          {
            name: "Compliance mode",
            value: "compliance",
            description:
              "a bucket of their own; nobody, the root user included, can delete a file or the bucket until the period ends; cannot be undone",
          },
        ],
      }),
  });
  // A flag fixed it (answer undefined): keep what the flag set.
  if (mode === undefined) return current ? { objectLock: { mode: current } } : {};
  return mode === "governance" || mode === "compliance" ? { objectLock: { mode } } : {};
}

/** The SIEM hand-off: who reads the logs through S3 notifications, and with which External ID. */
export const siemStep: Step = {
  id: "siem",
  label: "SIEM hand-off",
  async run(ctx) {
    const current = ctx.draft.siem?.reader;
    const own = (arn: string) => /:iam::(\d{12}):/.exec(arn)?.[1] === ctx.draft.accountId;
    const kind = await answer<string>(ctx, {
      key: "siemPrincipal",
      default: current ? (own(current.principal) ? "own" : "saas") : "none",
      ask: (d) =>
        ctx.prompts.select<string>({
          message: "Hand the logs to a SIEM (S3 notifications to an SQS queue)?",
          default: d,
          choices: [
            {
              name: "No",
              value: "none",
              description: "the logs stay in the bucket; investigate and Athena read them there",
            },
            {
              name: "Yes, a SaaS SIEM in another AWS account",
              value: "saas",
              description: "it gives you its account and an External ID; the reader role trusts only those",
            },
            {
              name: "Yes, a collector I run (a role in this account)",
              value: "own",
              description: "e.g. Elastic Agent or the Splunk add-on on your instances",
            },
          ],
        }),
    });
    if (kind === undefined || kind === "none") {
      if (kind === "none") delete ctx.draft.siem;
      return;
    }
    const partition = partitionOf(ctx.draft.region ?? "") ?? "aws";
    const principal = await answer<string>(ctx, {
      key: "siemPrincipal",
      default: current?.principal,
      ask: (d) =>
        ctx.prompts.input({
          message: kind === "saas" ? "The SIEM's AWS account ID (or its role ARN)" : "The collector's IAM role ARN",
          default: d ?? undefined,
          validate: (v) =>
            PRINCIPAL_ARN_PATTERN.test(asPrincipal(v, partition)) ||
            "a 12-digit account ID, or an IAM role, user or account root ARN without wildcards",
        }),
    });
    if (principal === undefined) return;
    const arn = asPrincipal(principal, partition);
    let externalId: string | undefined;
    if (!own(arn)) {
      externalId = await answer<string>(ctx, {
        key: "siemExternalId",
        default: current?.externalId,
        ask: (d) =>
          ctx.prompts.input({
            message: "The External ID the SIEM issued (it guards the reader against its other customers)",
            default: d ?? undefined,
            validate: validateWith(checkExternalId),
          }),
      });
    }
    ctx.draft.siem = {
      ...ctx.draft.siem,
      reader: { ...ctx.draft.siem?.reader, principal: arn, ...(externalId ? { externalId: externalId.trim() } : {}) },
    };
  },
  summary: (d) => [
    [
      "SIEM",
      d.siem?.reader
        ? `${d.siem.reader.principal} reads through SQS${d.siem.reader.externalId ? " (with its External ID)" : ""}`
        : "none",
    ],
  ],
};

/** A 12-digit account becomes that account's root principal. */
const asPrincipal = (v: string, partition: string): string =>
  /^\d{12}$/.test(v.trim()) ? `arn:${partition}:iam::${v.trim()}:root` : v.trim();
