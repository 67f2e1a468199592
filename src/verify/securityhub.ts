/**
 * `verify --securityhub`: the run's findings into Security Hub (BatchImportFindings), 100 a request
 * as the API allows, in each config's region with the run's credentials. A finding Security Hub
 * refuses is an error naming it and its reason: the run then exits 1, never reporting success.
 */
import type { AwsOptions } from "../aws/clients.js";
import { clientConfig } from "../aws/clients.js";
import type { AsffFinding } from "../engine/report/asff.js";
import { cjs } from "../util/cjs.js";

/** BatchImportFindings takes at most 100 findings a request. */
const BATCH = 100;
/** A run of many configs stays bounded: past this the import stops with an error. */
const MAX_FINDINGS = 100_000;

export interface ImportResult {
  imported: number;
  failed: Array<{ id: string; message: string }>;
}

export async function importFindings(findings: readonly AsffFinding[], aws: AwsOptions): Promise<ImportResult> {
  if (findings.length > MAX_FINDINGS)
    throw new Error(`${findings.length} findings: more than ${MAX_FINDINGS} in one run, none imported`);
  const mod = cjs(await import("@aws-sdk/client-securityhub"));
  const byRegion = new Map<string, AsffFinding[]>();
  for (const f of findings) {
    const region = aws.region ?? f.Resources[0]!.Region;
    byRegion.set(region, [...(byRegion.get(region) ?? []), f]);
  }
  const out: ImportResult = { imported: 0, failed: [] };
  for (const [region, list] of byRegion) {
    const client = new mod.SecurityHubClient(await clientConfig(region, aws));
    try {
      for (let i = 0; i < list.length; i += BATCH) {
        const res = await client.send(
          new mod.BatchImportFindingsCommand({
            Findings: list.slice(i, i + BATCH) as unknown as import("@aws-sdk/client-securityhub").AwsSecurityFinding[],
          }),
        );
        out.imported += res.SuccessCount ?? 0;
        for (const f of res.FailedFindings ?? [])
          out.failed.push({ id: f.Id ?? "?", message: `${f.ErrorCode ?? "error"}: ${f.ErrorMessage ?? ""}` });
        if ((res.SuccessCount ?? 0) + (res.FailedCount ?? 0) !== Math.min(BATCH, list.length - i))
          throw new Error("BatchImportFindings answered for a different number of findings than were sent");
      }
    } finally {
      client.destroy();
    }
  }
  return out;
}
