import { trailOff } from "../../../shared.js";
import type { DeploymentRule } from "../../facts.js";
import { trailAttributeRule } from "./attribute.js";

export const trailMultiRegion: DeploymentRule = trailAttributeRule({
  id: "trail.multi-region",
  title: "The trail records every region",
  severity: "medium",
  rationale: "CodeArtifact and S3 activity in other regions is otherwise unrecorded (CIS CloudTrail.1).",
  remediation: {
    terraform: "aws_cloudtrail `is_multi_region_trail = true` (generated).",
    console: "CloudTrail > Trails > (trail) > Edit: apply to all regions.",
  },
  docs: "GetTrail: IsMultiRegionTrail. Skipped when `cloudtrail.multiRegion` is false in the config.",
  notApplicable: (cfg) =>
    trailOff(cfg) ?? (cfg.cloudtrail.multiRegion ? undefined : "cloudtrail.multiRegion is false in the config"),
  holds: (trail) => Boolean(trail.isMultiRegionTrail),
  passMessage: (_trail) => "multi-region",
  failMessage: "single-region trail",
});
