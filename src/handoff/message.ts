/**
 * The hand-off to Cloudsmith. Cloudsmith has no API for log exports, so the
 * customer always sends these details by message; the tool prints them exactly.
 * The External ID is never printed: Cloudsmith issued it and already has it.
 */

import { CLOUDSMITH_ACCOUNT_ID, exportTargets, keyPrefix, roleArn } from "../config/derived.js";
import type { Config, Excludable, ExportFormat, LogType } from "../config/schema.js";
import { EXCLUDABLE } from "../config/schema.js";

export type HandoffStage = "request" | "ready";
export type HandoffFormat = "text" | "markdown" | "json";

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  "json-stream": "JSON Stream",
  "json-stream-timestamp": "JSON Stream + Timestamp",
  csv: "CSV",
  apache: "Apache style",
};
export const LOG_TYPE_LABELS: Record<LogType, string> = { client: "Client logs (downloads)", audit: "Audit logs" };
export const FIELD_LABELS: Record<Excludable, string> = {
  eula: "EULA acceptance data",
  geo: "Geo data",
  ip: "IP address data",
  namespace: "Namespace identifiers/paths",
  repository: "Repository identifiers/paths",
};

export interface Handoff {
  stage: HandoffStage;
  organization: string | null;
  accountId: string;
  bucket: string;
  logTypes: Array<{ type: LogType; label: string; prefix: string }>;
  roleName: string;
  roleArn: string;
  format: { id: ExportFormat; label: string };
  scope: { type: "organization" } | { type: "repositories"; repositories: string[] };
  include: Record<Excludable, boolean>;
}

/** `ready` once the config has the External ID (the role can then be deployed with it). */
export const defaultStage = (cfg: Config): HandoffStage => (cfg.externalId === undefined ? "request" : "ready");

export function buildHandoff(cfg: Config, stage: HandoffStage = defaultStage(cfg)): Handoff {
  return {
    stage,
    organization: cfg.organization ?? null,
    accountId: cfg.accountId,
    bucket: cfg.bucket.name,
    logTypes: exportTargets(cfg).map((t) => ({
      type: t.logType,
      label: LOG_TYPE_LABELS[t.logType],
      prefix: keyPrefix(t.prefix),
    })),
    roleName: cfg.roleName,
    roleArn: roleArn(cfg),
    format: { id: cfg.format, label: FORMAT_LABELS[cfg.format] },
    scope: cfg.scope,
    include: Object.fromEntries(EXCLUDABLE.map((f) => [f, !cfg.exclude.includes(f)])) as Record<Excludable, boolean>,
  };
}

function rows(h: Handoff): Array<[string, string]> {
  const prefix = (p: string) => (p === "" ? "(bucket root)" : p);
  return [
    ...(h.organization ? ([["Cloudsmith organization", h.organization]] as Array<[string, string]>) : []),
    ["AWS account ID", h.accountId],
    ["S3 bucket", h.bucket],
    ...h.logTypes.map((t): [string, string] => [t.label, `prefix ${prefix(t.prefix)}`]),
    ["IAM role name", h.roleName],
    ["IAM role ARN", h.roleArn],
    ["Format", h.format.label],
    [
      "Export scope",
      h.scope.type === "organization" ? "Entire organization" : `Repositories: ${h.scope.repositories.join(", ")}`,
    ],
    ...EXCLUDABLE.map((f): [string, string] => [FIELD_LABELS[f], h.include[f] ? "include" : "exclude"]),
  ];
}

const intro = (h: Handoff) =>
  `please set up log exports to Amazon S3${h.organization ? ` for our organization "${h.organization}"` : ""} with these details:`;

const closing = (h: Handoff): string[] =>
  h.stage === "request"
    ? ["Please send us the External ID to put in the role's trust policy; we will create the role with it and confirm."]
    : [
        `The role to assume: ${h.roleArn}`,
        `It trusts only Cloudsmith's account (${CLOUDSMITH_ACCOUNT_ID}), with the External ID you issued us, and may write only under the prefixes above.`,
        "Please start the export.",
      ];

export function renderHandoff(h: Handoff, format: HandoffFormat): string {
  if (format === "json") return `${JSON.stringify(h, null, 2)}\n`;
  const table = rows(h);
  if (format === "markdown") {
    return [
      `**Subject:** Log exports to S3${h.organization ? ` for ${h.organization}` : ""}`,
      "",
      "Hello Cloudsmith team,",
      "",
      intro(h),
      "",
      "| Setting | Value |",
      "| --- | --- |",
      ...table.map(([k, v]) => `| ${k} | \`${v}\` |`),
      "",
      ...closing(h),
      "",
    ].join("\n");
  }
  const width = Math.max(...table.map(([k]) => k.length)) + 2;
  return [
    `Subject: Log exports to S3${h.organization ? ` for ${h.organization}` : ""}`,
    "",
    "Hello Cloudsmith team,",
    "",
    intro(h),
    "",
    ...table.map(([k, v]) => `  ${`${k}:`.padEnd(width)}${v}`),
    "",
    ...closing(h),
    "",
  ].join("\n");
}
