import { flagName } from "../../config/flags.js";
import { checkExternalId, checkRepositorySlug, checkRoleName, errorsOf } from "../../config/rules.js";
import { DEFAULT_ROLE_NAME, EXCLUDABLE, type Excludable, type ExportFormat, FORMATS } from "../../config/schema.js";
import { FIELD_LABELS, FORMAT_LABELS } from "../../handoff/message.js";
import { answer, validateWith } from "../context.js";
import type { Step } from "./types.js";

export const roleStep: Step = {
  id: "roleName",
  label: "IAM role name",
  async run(ctx) {
    const v = await answer(ctx, {
      key: "roleName",
      default: ctx.draft.roleName ?? DEFAULT_ROLE_NAME,
      ask: (d) =>
        ctx.prompts.input({
          message: "Name of the IAM role Cloudsmith assumes (Cloudsmith is told this exact name)",
          default: d,
          validate: validateWith(checkRoleName),
        }),
    });
    if (v !== undefined) ctx.draft.roleName = v.trim();
  },
  summary: (d) => [["IAM role name", d.roleName ?? DEFAULT_ROLE_NAME]],
};

const FORMAT_HELP: Record<ExportFormat, string> = {
  "json-stream-timestamp":
    "one JSON object per line, after a timestamp: easiest for SIEM ingestion and time-based routing",
  "json-stream": "one JSON object per line, nothing else: for tools that read NDJSON directly",
  csv: "a header line, then one record per line: for spreadsheets and SQL loaders",
  apache: "whitespace-separated like a web server access log: for existing log pipelines",
};
const RECOMMENDED_FORMAT: ExportFormat = "json-stream-timestamp";

export const formatStep: Step = {
  id: "format",
  label: "Format",
  async run(ctx) {
    const v = await answer<ExportFormat>(ctx, {
      key: "format",
      default: (ctx.draft.format as ExportFormat | undefined) ?? RECOMMENDED_FORMAT,
      ask: (d) =>
        ctx.prompts.select({
          message: "Export format",
          default: d,
          choices: [RECOMMENDED_FORMAT, ...FORMATS.filter((f) => f !== RECOMMENDED_FORMAT)].map((f) => ({
            name: `${FORMAT_LABELS[f]}${f === RECOMMENDED_FORMAT ? " (recommended)" : ""}`,
            value: f,
            description: FORMAT_HELP[f],
          })),
        }),
    });
    if (v !== undefined) ctx.draft.format = v;
  },
  summary: (d) => [["Format", FORMAT_LABELS[(d.format as ExportFormat | undefined) ?? RECOMMENDED_FORMAT]]],
};

const slugList = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

export const scopeStep: Step = {
  id: "scope",
  label: "Export scope",
  async run(ctx) {
    if (!ctx.force && (ctx.fixed.has("repositories") || ctx.fixed.has("entireOrg"))) return;
    const current = ctx.draft.scope;
    const repos = current?.type === "repositories" ? current.repositories : undefined;
    const kind = await answer<"organization" | "repositories">(ctx, {
      key: "repositories",
      flag: `${flagName("repositories")} or ${flagName("entireOrg")}`,
      default: current?.type ?? "organization",
      ask: (d) =>
        ctx.prompts.select({
          message: "What should be exported?",
          default: d,
          choices: [
            {
              name: "The entire organization (recommended)",
              value: "organization",
              description: "New repositories are covered automatically",
            },
            { name: "Selected repositories", value: "repositories", description: "Only the repositories you list" },
          ],
        }),
    });
    if (kind === "organization") ctx.draft.scope = { type: "organization" };
    if (kind === "repositories" && repos && (!ctx.interactive || (ctx.yes && !ctx.force))) {
      ctx.draft.scope = { type: "repositories", repositories: repos };
    } else if (kind === "repositories") {
      const list = await ctx.prompts.input({
        message: "Repository slugs, comma-separated",
        default: repos?.join(", "),
        validate: (v) => {
          const slugs = slugList(v);
          if (slugs.length === 0) return "list at least one repository";
          const bad = slugs.find((s) => errorsOf(checkRepositorySlug(s)).length > 0);
          return bad === undefined || `'${bad}': ${errorsOf(checkRepositorySlug(bad))[0]!.rule}`;
        },
      });
      ctx.draft.scope = { type: "repositories", repositories: slugList(list) };
    }
  },
  summary: (d) => [
    [
      "Export scope",
      d.scope?.type === "repositories" ? `repositories: ${d.scope.repositories.join(", ")}` : "entire organization",
    ],
  ],
};

export const fieldsStep: Step = {
  id: "exclude",
  label: "Included fields",
  async run(ctx) {
    const excluded = new Set((ctx.draft.exclude as Excludable[] | undefined) ?? []);
    const included = await answer<Excludable[]>(ctx, {
      key: "exclude",
      default: EXCLUDABLE.filter((f) => !excluded.has(f)),
      ask: () =>
        ctx.prompts.checkbox({
          message: "Which optional data should Cloudsmith include? (space toggles)",
          choices: EXCLUDABLE.map((f) => ({ name: FIELD_LABELS[f], value: f, checked: !excluded.has(f) })),
        }),
    });
    if (included !== undefined) ctx.draft.exclude = EXCLUDABLE.filter((f) => !included.includes(f));
  },
  summary: (d) => {
    const ex = (d.exclude as Excludable[] | undefined) ?? [];
    return [["Excluded fields", ex.length === 0 ? "none (all included)" : ex.map((f) => FIELD_LABELS[f]).join(", ")]];
  },
};

export const externalIdStep: Step = {
  id: "externalId",
  label: "External ID",
  async run(ctx) {
    const v = await answer<string | null>(ctx, {
      key: "externalId",
      default: ctx.draft.externalId ?? null,
      ask: async (d) => {
        const have = await ctx.prompts.select({
          message: "External ID from Cloudsmith",
          default: d !== null && d !== undefined,
          choices: [
            {
              name: "Not received yet",
              value: false,
              description: "Send Cloudsmith the request first; run init again when they reply",
            },
            { name: d ? "I have it (keep or change it)" : "I have it", value: true },
          ],
        });
        if (!have) return null;
        return ctx.prompts.input({
          message: "External ID (as Cloudsmith sent it)",
          default: d ?? undefined,
          validate: validateWith(checkExternalId),
        });
      },
    });
    if (v !== undefined) ctx.draft.externalId = v === null ? undefined : v.trim();
  },
  summary: (d) => [["External ID", d.externalId ? "received (kept in the config; not shown)" : "not received yet"]],
};
