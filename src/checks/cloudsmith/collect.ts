/** `verify --cloudsmith-org`: the same client as `audit-log pull`, asking for one event. */
import { failed, present, type Fact, type Facts } from "../config/facts.js";
import { fail, pass, read, type Rule } from "../../engine/rule.js";
import { AuditLogClient, CloudsmithApiError } from "../../cloudsmith-api/client.js";

export async function checkAuditLogAccess(org: string, opts: { apiKey?: string; baseUrl?: string }): Promise<Fact<{ org: string; ok: boolean; message: string }>> {
  if (!opts.apiKey) return failed("CLOUDSMITH_API_KEY is not set");
  const client = new AuditLogClient({ apiKey: opts.apiKey, baseUrl: opts.baseUrl, maxRetries: 2 });
  try {
    const page = await client.fetchPage(org, { page: 1, pageSize: 1 });
    return present({ org, ok: true, message: `the key can read the audit log of '${org}'${page.events.length === 0 ? " (no events yet)" : ""}` });
  } catch (e) {
    if (e instanceof CloudsmithApiError) return present({ org, ok: false, message: e.message });
    return failed((e as Error).message);
  }
}

export const cloudsmithAuditLogAccess: Rule = {
  id: "cloudsmith.audit-log-access",
  title: "The Cloudsmith API key can read the organization's audit log",
  severity: "high",
  rationale: "SIEM connectors and `audit-log pull` read the audit log through the API; a rejected key, a plan without audit logs or a wrong slug means nothing is collected.",
  remediation: { terraform: "Set CLOUDSMITH_API_KEY to a key of an account in the organization, on a plan with audit logs.", console: "Cloudsmith > your organization > Settings: check the plan and the service account's API key." },
  docs: "With --cloudsmith-org SLUG: GET /audit-log/SLUG/ with page_size=1 and the key from CLOUDSMITH_API_KEY; 401, 402 and 404 fail with the cause, an unreachable API is an ERROR.",
  evaluate(facts: Facts) {
    const access = read(facts.cloudsmithAuditLog!, "the Cloudsmith audit log")!;
    return access.ok ? pass(`cloudsmith/${access.org}`, access.message) : fail(`cloudsmith/${access.org}`, access.message);
  },
};
