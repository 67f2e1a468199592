/** `verify --integrity`: CloudTrail digests and log files validated like `aws cloudtrail validate-logs`. */
import { attempt, failed } from "../../engine/fact.js";
import type { CheckPack } from "../../engine/pack.js";
import type { CheckOptions, CollectContext } from "../context.js";
import type { IntegrityView } from "./facts.js";
import { INTEGRITY_RULES } from "./rules/index.js";

export const integrityPack: CheckPack<CheckOptions, CollectContext, IntegrityView> = {
  id: "integrity",
  groups: [["integrity", "CloudTrail log integrity"]],
  rules: INTEGRITY_RULES,
  enabled: (o) => o.integrity !== undefined,
  async collect(ctx, facts) {
    if (ctx.config.cloudtrail.mode === "none") return; // every rule is SKIPPED: no trail to validate
    ctx.progress(0, 0, "Validating CloudTrail digests and log files…");
    const { validateLogs, cloudTrailKeySource } = await import("./collect.js");
    const clients = await ctx.clients();
    const opts = ctx.options.integrity!;
    const { resolveTrail } = await import("../trail-location.js");
    facts.integrity = await attempt(async () => {
      const trail = await resolveTrail(clients, ctx.config);
      return validateLogs(clients, trail.location, {
        ...opts,
        keySource: opts.keySource ?? cloudTrailKeySource(clients),
        ...(trail.latestDigestDelivery ? { latestDigestDelivery: trail.latestDigestDelivery } : {}),
        ...(trail.validationOn !== undefined ? { validationOn: trail.validationOn } : {}),
      });
    });
  },
  fail(facts, detail) {
    facts.integrity = failed(detail);
  },
};
