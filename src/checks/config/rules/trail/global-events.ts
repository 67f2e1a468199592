import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { ConfigRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

export const trailGlobalEvents: ConfigRule = {
  id: "trail.global-events",
  title: "The trail includes global service events",
  severity: "medium",
  rationale:
    "IAM and STS events (who changed or assumed the Cloudsmith role) are global and only recorded with this on.",
  remediation: {
    terraform: "aws_cloudtrail `include_global_service_events = true` (generated).",
    console: "Recreate or update the trail with global service events (CLI: --include-global-service-events).",
  },
  docs: "GetTrail: IncludeGlobalServiceEvents.",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    const trail = read(facts.trail, "the trail");
    if (!trail) return fail(trailResource(cfg), "the trail does not exist");
    return trail.includeGlobalServiceEvents
      ? pass(trailResource(cfg), "global service events included")
      : fail(trailResource(cfg), "global service events (IAM, STS) are not recorded");
  },
};
