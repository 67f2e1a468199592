import type { DeploymentRule } from "../../facts.js";
import { trailAttributeRule } from "./attribute.js";

export const trailGlobalEvents: DeploymentRule = trailAttributeRule({
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
  holds: (trail) => Boolean(trail.includeGlobalServiceEvents),
  passMessage: (_trail) => "global service events included",
  failMessage: "global service events (IAM, STS) are not recorded",
});
