import { read, Undecidable } from "../../../engine/fact.js";
import { fail, pass } from "../../../engine/rule.js";
import type { CloudsmithRule } from "../facts.js";

export const cloudsmithAuditLogAccess: CloudsmithRule = {
  id: "cloudsmith.audit-log-access",
  title: "The Cloudsmith API key can read the organization's audit log",
  severity: "high",
  rationale:
    "SIEM connectors and `audit-log pull` read the audit log through the API; a rejected key, a plan without audit logs or a wrong slug means nothing is collected.",
  remediation: {
    terraform: "Set CLOUDSMITH_API_KEY to a key of an account in the organization, on a plan with audit logs.",
    console: "Cloudsmith > your organization > Settings: check the plan and the service account's API key.",
  },
  docs: "With --cloudsmith-org SLUG: GET /audit-log/SLUG/ with page_size=1 and the key from CLOUDSMITH_API_KEY; 401, 402 and 404 fail with the cause, an unreachable API is an ERROR.",
  evaluate(facts) {
    if (!facts.cloudsmithAuditLog) throw new Undecidable("ERROR", "the Cloudsmith audit log was not checked");
    const access = read(facts.cloudsmithAuditLog, "the Cloudsmith audit log")!;
    return access.ok
      ? pass(`cloudsmith/${access.org}`, access.message)
      : fail(`cloudsmith/${access.org}`, access.message);
  },
};
