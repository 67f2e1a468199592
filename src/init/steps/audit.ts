import { checkBucketName, checkKmsKeyArn, checkTrailName, partitionOf } from "../../config/rules.js";
import { DEFAULT_TRAIL_NAME } from "../../config/schema.js";
import { answer, validateWith } from "../context.js";
import { type Step, sub } from "./types.js";

export const cloudTrailStep: Step = {
  id: "cloudtrail",
  label: "CloudTrail",
  async run(ctx) {
    const trail = sub(ctx.draft, "cloudtrail");
    const enabled = await answer(ctx, {
      key: "cloudtrail",
      default: (trail.enabled as boolean | undefined) ?? true,
      ask: (d) =>
        ctx.prompts.confirm({
          message:
            "Create a CloudTrail trail that records CodeArtifact and S3 activity, including Cloudsmith's writes? (recommended)",
          default: d,
        }),
    });
    if (enabled !== undefined) trail.enabled = enabled;
    if (trail.enabled === false) return;

    const name = await answer(ctx, {
      key: "trailName",
      default: (trail.name as string | undefined) ?? DEFAULT_TRAIL_NAME,
      ask: (d) => ctx.prompts.input({ message: "Trail name", default: d, validate: validateWith(checkTrailName) }),
    });
    if (name !== undefined) trail.name = name.trim();
    const dataEvents = await answer(ctx, {
      key: "dataEvents",
      default: (trail.dataEvents as boolean | undefined) ?? true,
      ask: (d) =>
        ctx.prompts.confirm({
          message: "Record S3 data events on the export prefixes (who wrote each log file)?",
          default: d,
        }),
    });
    if (dataEvents !== undefined) trail.dataEvents = dataEvents;
    const multiRegion = await answer(ctx, {
      key: "multiRegion",
      default: (trail.multiRegion as boolean | undefined) ?? true,
      ask: (d) => ctx.prompts.confirm({ message: "Record all regions (CIS CloudTrail.1; recommended)?", default: d }),
    });
    if (multiRegion !== undefined) trail.multiRegion = multiRegion;
    if (ctx.draft.bucket?.existing) {
      const bucket = await answer(ctx, {
        key: "trailBucket",
        default: (trail.bucket as string | undefined) ?? `${ctx.draft.bucket.name ?? "cloudsmith"}-trail`,
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
    if (t?.enabled === false) return [["CloudTrail", "off"]];
    const opts = [
      t?.multiRegion === false ? "home region only" : "all regions",
      t?.dataEvents === false ? "no S3 data events" : "S3 data events on the export prefixes",
    ];
    return [["CloudTrail", `${t?.name ?? DEFAULT_TRAIL_NAME} (${opts.join(", ")})`]];
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
          validate: validateWith((v) => checkKmsKeyArn(v, partition)),
        });
      },
    });
    if (kms !== undefined)
      ctx.draft.encryption = kms === null ? { type: "SSE-S3" } : { type: "SSE-KMS", kmsKeyArn: kms.trim() };
  },
  summary: (d) => [["Encryption", d.encryption?.type === "SSE-KMS" ? `SSE-KMS (${d.encryption.kmsKeyArn})` : "SSE-S3"]],
};
