import { checkBucketName, checkPrefix, normalisePrefix } from "../../config/rules.js";
import { DEFAULT_PREFIXES, LOG_TYPES, type LogType } from "../../config/schema.js";
import { LOG_TYPE_LABELS } from "../../handoff/message.js";
import { answer, validateWith, type WizardContext } from "../context.js";
import { type Step, sub } from "./types.js";

function suggestedBucket(ctx: WizardContext): string | undefined {
  const org = ctx.draft.organization?.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const name = org ? `cloudsmith-${org}-logs` : undefined;
  return name && checkBucketName(name).every((p) => p.severity !== "error") ? name : undefined;
}

export const bucketStep: Step = {
  id: "bucket",
  label: "S3 bucket",
  async run(ctx) {
    const bucket = sub(ctx.draft, "bucket");
    const existing = await answer(ctx, {
      key: "existingBucket",
      default: (bucket.existing as boolean | undefined) ?? false,
      ask: (d) =>
        ctx.prompts.select({
          message: "Bucket for the exports",
          default: d,
          choices: [
            {
              name: "Create a new bucket (recommended)",
              value: false,
              description: "Private, encrypted, versioned, TLS-only; managed by the generated Terraform",
            },
            {
              name: "Use a bucket that already exists",
              value: true,
              description: "Left as it is: its policy is never overwritten",
            },
          ],
        }),
    });
    if (existing !== undefined) bucket.existing = existing;
    const isExisting = bucket.existing === true;
    const typeIt = async (d: string | undefined) =>
      ctx.prompts.input({
        message: isExisting ? "Name of the existing bucket" : "Name for the new bucket",
        default: d,
        validate: validateWith((v) => checkBucketName(v, { existing: isExisting })),
      });
    const name = await answer(ctx, {
      key: "bucket",
      default: (bucket.name as string | undefined) ?? (isExisting ? undefined : suggestedBucket(ctx)),
      ask: async (d) => {
        // An existing bucket: pick it from the account's buckets when credentials can list them.
        const known = isExisting ? await ctx.accountBuckets() : undefined;
        if (!known || known.length === 0) return typeIt(d);
        const picked = await ctx.prompts.select<string | null>({
          message: "The existing bucket",
          default: d !== undefined && known.includes(d) ? d : undefined,
          pageSize: 12,
          choices: [
            ...known.map((b) => ({ name: b, value: b })),
            { name: "Another bucket (type its name)", value: null, description: "a bucket this account cannot list" },
          ],
        });
        return picked ?? typeIt(d);
      },
    });
    if (name !== undefined) bucket.name = name.trim();
  },
  summary: (d) => [
    ["S3 bucket", `${d.bucket?.name ?? ""}${d.bucket?.existing ? " (existing, not managed)" : " (new)"}`],
  ],
};

const ROOT = "/";

export const logTypesStep: Step = {
  id: "logTypes",
  label: "Log types and prefixes",
  async run(ctx) {
    const current = sub(ctx.draft, "logTypes") as Partial<Record<LogType, { prefix?: string }>>;
    const chosen = await answer<LogType[]>(ctx, {
      key: "logTypes",
      default:
        LOG_TYPES.filter((t) => current[t] !== undefined).length > 0
          ? LOG_TYPES.filter((t) => current[t] !== undefined)
          : [...LOG_TYPES],
      ask: (d) =>
        ctx.prompts.checkbox({
          message: "Which logs should Cloudsmith export?",
          choices: LOG_TYPES.map((t) => ({ name: LOG_TYPE_LABELS[t], value: t, checked: d?.includes(t) ?? true })),
          validate: (items) => items.length > 0 || "choose at least one log type",
        }),
    });
    if (chosen !== undefined) {
      for (const t of LOG_TYPES) {
        if (chosen.includes(t)) current[t] ??= {};
        else delete current[t];
      }
    }
    for (const t of LOG_TYPES) {
      if (!current[t]) continue;
      const prefix = await answer(ctx, {
        key: `${t}Prefix`,
        default: current[t]!.prefix ?? DEFAULT_PREFIXES[t],
        ask: (d) =>
          ctx.prompts.input({
            message: `Prefix (folder) for ${LOG_TYPE_LABELS[t].toLowerCase()} ('/' for the bucket root)`,
            default: d === "" ? ROOT : d,
            validate: (v) => v.trim() === ROOT || validateWith(checkPrefix)(v),
          }),
      });
      if (prefix !== undefined) current[t]!.prefix = prefix.trim() === ROOT ? "" : normalisePrefix(prefix.trim());
    }
  },
  summary: (d) =>
    LOG_TYPES.filter((t) => d.logTypes?.[t]).map((t): [string, string] => {
      const p = d.logTypes?.[t]?.prefix ?? "";
      return [LOG_TYPE_LABELS[t], p === "" ? "bucket root" : `${p}/`];
    }),
};
