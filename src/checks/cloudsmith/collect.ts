/** `verify --cloudsmith-org`: the same client as `audit-log pull`, asking for one event. */
import { AuditLogClient, CloudsmithApiError } from "../../cloudsmith-api/client.js";
import { type Fact, failed, present } from "../../engine/fact.js";
import type { AuditLogAccess } from "./facts.js";

export async function checkAuditLogAccess(
  org: string,
  opts: { apiKey?: string; baseUrl?: string },
): Promise<Fact<AuditLogAccess>> {
  if (!opts.apiKey) return failed("CLOUDSMITH_API_KEY is not set");
  let client: AuditLogClient;
  try {
    client = new AuditLogClient({ apiKey: opts.apiKey, baseUrl: opts.baseUrl, maxRetries: 2 });
  } catch (e) {
    return failed((e as Error).message); // an unusable key or API URL: nothing was sent
  }
  try {
    const page = await client.fetchPage(org, { page: 1, pageSize: 1 });
    return present({
      org,
      ok: true,
      message: `the key can read the audit log of '${org}' at ${client.host}${page.events.length === 0 ? " (no events yet)" : ""}`,
    });
  } catch (e) {
    // A redirect to another host is not an answer: ERROR, never PASS or a FAIL about the key.
    if (e instanceof CloudsmithApiError && !(e.status >= 300 && e.status < 400))
      return present({ org, ok: false, message: `${e.message} (${client.host})` });
    return failed((e as Error).message);
  }
}
