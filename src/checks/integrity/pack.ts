/** `verify --integrity`: CloudTrail digests and log files validated like `aws cloudtrail validate-logs`. */
import { attemptAws as attempt } from "../../aws/describe-error.js";
import type { PublicKeySource } from "../../cloudtrail/validate/digest.js";
import { failed } from "../../engine/fact.js";
import { sinceFlag } from "../../util/duration.js";
import { usageError } from "../../util/errors.js";
import { flagSpec } from "../../util/flag-spec.js";
import { definePack } from "../pack.js";
import { decryptThroughS3, hasTrail, LIVE_ONLY, listBuckets, readTrailFiles, trailKeys } from "../shared.js";
import type { IntegrityView } from "./facts.js";
import { INTEGRITY_RULES } from "./rules/index.js";

export interface IntegrityOptions {
  since: Date;
  until?: Date;
  keySource?: PublicKeySource;
}

export const integrityPack = definePack<IntegrityOptions, IntegrityView>({
  id: "integrity",
  groups: [["integrity", "CloudTrail log integrity"]],
  rules: INTEGRITY_RULES,
  switchFlag: "--integrity",
  flags: [
    flagSpec({
      flags: "--integrity",
      help: "also validate CloudTrail digests and log files (like aws cloudtrail validate-logs)",
    }),
    flagSpec({
      flags: "--since <when>",
      help: "with --integrity: how far back to validate, a duration (24h, 7d) or an RFC 3339 time",
      default: "24h",
    }),
  ],
  options({ values, now, staticPath }) {
    const since = sinceFlag("--since", String(values.since ?? "24h"), now);
    // It reads what arrived in the deployed bucket: there is nothing to read before deploy.
    if (values.integrity && staticPath !== undefined) throw usageError(LIVE_ONLY);
    return values.integrity ? { since } : undefined;
  },
  configFields: { integrity: ["cloudtrail"] },
  permissions: [
    listBuckets,
    readTrailFiles,
    {
      sid: "CloudTrailPublicKeys",
      operations: ["CloudTrail.ListPublicKeys"],
      when: hasTrail,
      resources: () => ["*"],
      on: "* (no resource-level permissions)",
      why: "--integrity: the keys that sign the digests",
    },
    decryptThroughS3(trailKeys),
  ],
  async collect(ctx, options, facts) {
    if (ctx.config.cloudtrail.mode === "none") return; // every rule is SKIPPED: no trail to validate
    ctx.progress(0, 0, "Validating CloudTrail digests and log files…");
    const { validateLogs, cloudTrailKeySource } = await import("../../cloudtrail/validate/validate-logs.js");
    const clients = await ctx.clients();
    const { resolveTrail } = await import("../trail-location.js");
    facts.integrity = await attempt(async () => {
      const trail = await resolveTrail(clients, ctx.config);
      return validateLogs(clients, trail.location, {
        ...options,
        keySource: options.keySource ?? cloudTrailKeySource(clients),
        ...(trail.latestDigestDelivery ? { latestDigestDelivery: trail.latestDigestDelivery } : {}),
        ...(trail.validationOn !== undefined ? { validationOn: trail.validationOn } : {}),
      });
    });
  },
  fail(facts, detail) {
    facts.integrity = failed(detail);
  },
});
