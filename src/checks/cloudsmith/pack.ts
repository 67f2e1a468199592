/** `verify --cloudsmith-org`: the API key can read the organization's audit log. */
import { failed } from "../../engine/fact.js";
import { flagSpec } from "../../util/flag-spec.js";
import { definePack } from "../pack.js";
import type { CloudsmithView } from "./facts.js";
import { cloudsmithAuditLogAccess } from "./rules/audit-log-access.js";

export interface CloudsmithOptions {
  org: string;
  apiKey?: string;
  baseUrl?: string;
}

export const cloudsmithPack = definePack<CloudsmithOptions, CloudsmithView>({
  id: "cloudsmith",
  groups: [["cloudsmith", "Cloudsmith API"]],
  rules: [cloudsmithAuditLogAccess],
  switchFlag: "--cloudsmith-org",
  flags: [
    flagSpec({
      flags: "--cloudsmith-org <slug>",
      help: "also check that CLOUDSMITH_API_KEY can read this organization's audit log",
    }),
    flagSpec({
      flags: "--cloudsmith-api-url <url>",
      help: "Cloudsmith API base URL for --cloudsmith-org (default: https://api.cloudsmith.io, or CLOUDSMITH_API_URL; https only, except on loopback)",
    }),
  ],
  options: ({ values }) =>
    typeof values.cloudsmithOrg === "string"
      ? {
          org: values.cloudsmithOrg,
          apiKey: process.env.CLOUDSMITH_API_KEY,
          baseUrl: (values.cloudsmithApiUrl as string | undefined) ?? process.env.CLOUDSMITH_API_URL,
        }
      : undefined,
  configFields: { cloudsmith: ["organization", "cloudsmithOrganization"] },
  permissions: [],
  async collect(_ctx, options, facts) {
    const { checkAuditLogAccess } = await import("./collect.js");
    const { org, ...api } = options;
    facts.cloudsmithAuditLog = await checkAuditLogAccess(org, api);
  },
  fail(facts, detail) {
    facts.cloudsmithAuditLog = failed(detail);
  },
});
