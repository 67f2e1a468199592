/** `verify --cloudsmith-org`: the same client as `audit-log pull`, asking for one event. */
import { AuditLogClient, CloudsmithApiError } from "../../cloudsmith-api/client.js";
import { type Fact, failed, present } from "../../engine/fact.js";
import type { AuditLogAccess } from "./facts.js";

export async function checkAuditLogAccess(
  org: string,
  opts: { apiKey?: string; baseUrl?: string },
): Promise<Fact<AuditLogAccess>> {
  if (!opts.apiKey) return failed("CLOUDSMITH_API_KEY is not set");
  const client = new AuditLogClient({ apiKey: opts.apiKey, baseUrl: opts.baseUrl, maxRetries: 2 });
  try {
    const page = await client.fetchPage(org, { page: 1, pageSize: 1 });
    return present({
      org,
      ok: true,
      message: `the key can read the audit log of '${org}'${page.events.length === 0 ? " (no events yet)" : ""}`,
    });
  } catch (e) {
    if (e instanceof CloudsmithApiError) return present({ org, ok: false, message: e.message });
    return failed((e as Error).message);
  }
}
