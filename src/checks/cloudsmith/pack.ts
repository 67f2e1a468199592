/** `verify --cloudsmith-org`: the API key can read the organization's audit log. */
import { failed } from "../../engine/fact.js";
import type { CheckPack } from "../../engine/pack.js";
import type { CheckOptions, CollectContext } from "../context.js";
import type { CloudsmithView } from "./facts.js";
import { cloudsmithAuditLogAccess } from "./rules/audit-log-access.js";

export const cloudsmithPack: CheckPack<CheckOptions, CollectContext, CloudsmithView> = {
  id: "cloudsmith",
  groups: [["cloudsmith", "Cloudsmith API"]],
  rules: [cloudsmithAuditLogAccess],
  enabled: (o) => o.cloudsmith !== undefined,
  async collect(ctx, facts) {
    const { checkAuditLogAccess } = await import("./collect.js");
    const { org, ...api } = ctx.options.cloudsmith!;
    facts.cloudsmithAuditLog = await checkAuditLogAccess(org, api);
  },
  fail(facts, detail) {
    facts.cloudsmithAuditLog = failed(detail);
  },
};
