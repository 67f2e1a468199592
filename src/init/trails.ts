/**
 * The account's trails, for the wizard: which already meet the requirements
 * (multi-region, log file validation, read and write management events that
 * include CodeArtifact), so an organization or Control Tower trail can be used
 * instead of paying for a second copy of every management event. Bounded by a
 * timeout and never throws: no credentials means no list.
 */
import { BoundedHttpHandler } from "../aws/bounded-handler.js";
import { selectorsFromSdk } from "../cloudtrail/selector-types.js";
import { codeArtifactEvent, trailRecords } from "../cloudtrail/selectors.js";
import { cjs } from "../util/cjs.js";

export interface TrailChoice {
  arn: string;
  name: string;
  homeRegion: string;
  organization: boolean;
  /** The requirements it misses (empty: it meets them all). */
  lacks: string[];
}

export interface TrailListOptions {
  profile?: string;
  region?: string;
  timeoutMs?: number;
  endpointUrl?: string;
}

export async function accountTrails(opts: TrailListOptions = {}): Promise<TrailChoice[] | undefined> {
  const timeoutMs = opts.timeoutMs ?? 4000;
  const signal = AbortSignal.timeout(timeoutMs);
  const lookup = async (): Promise<TrailChoice[]> => {
    const ct = cjs(await import("@aws-sdk/client-cloudtrail"));
    const client = new ct.CloudTrailClient({
      region: opts.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1",
      profile: opts.profile,
      maxAttempts: 1,
      // Bounded, and through HTTPS_PROXY / NO_PROXY like every other call.
      requestHandler: await BoundedHttpHandler.create({ connectionTimeout: 2_000, requestTimeout: timeoutMs }),
      ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
    });
    try {
      const { trailList = [] } = await client.send(new ct.DescribeTrailsCommand({ includeShadowTrails: true }), {
        abortSignal: signal,
      });
      return await Promise.all(
        trailList.slice(0, 20).map(async (t): Promise<TrailChoice> => {
          const lacks: string[] = [];
          if (!t.IsMultiRegionTrail) lacks.push("multi-region");
          if (!t.LogFileValidationEnabled) lacks.push("log file validation");
          try {
            const sel = selectorsFromSdk(
              await client.send(new ct.GetEventSelectorsCommand({ TrailName: t.TrailARN }), { abortSignal: signal }),
            );
            if (trailRecords(sel, codeArtifactEvent(true)) !== true)
              lacks.push("read-only management events (CodeArtifact downloads)");
            if (trailRecords(sel, codeArtifactEvent(false)) !== true) lacks.push("write management events");
          } catch {
            lacks.push("event selectors unreadable");
          }
          return {
            arn: t.TrailARN ?? "",
            name: t.Name ?? "",
            homeRegion: t.HomeRegion ?? "",
            organization: t.IsOrganizationTrail === true,
            lacks,
          };
        }),
      );
    } finally {
      client.destroy();
    }
  };
  return lookup().catch(() => undefined);
}
