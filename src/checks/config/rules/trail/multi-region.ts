import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { ConfigRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

export const trailMultiRegion: ConfigRule = {
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
  evaluate(facts) {
    const cfg = facts.config;
    const trail = read(facts.trail, "the trail");
    if (!trail) return fail(trailResource(cfg), "the trail does not exist");
    return trail.isMultiRegionTrail
      ? pass(trailResource(cfg), "multi-region")
      : fail(trailResource(cfg), "single-region trail");
  },
};
