import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { DeploymentRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

export const trailLogging: DeploymentRule = {
  id: "trail.logging",
  title: "The trail is logging",
  severity: "high",
  rationale: "A stopped trail exists but records nothing: the most silent way to lose an audit trail.",
  remediation: {
    terraform: "aws_cloudtrail `enable_logging = true` (generated), then apply.",
    console: "CloudTrail > Trails > (trail) > Start logging.",
  },
  docs: "GetTrailStatus: IsLogging is true.",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    if (!read(facts.trail, "the trail")) return fail(trailResource(cfg), "the trail does not exist");
    const status = read(facts.trailStatus, "the trail status");
    return status?.isLogging
      ? pass(trailResource(cfg), "logging")
      : fail(trailResource(cfg), "the trail is stopped: nothing is recorded");
  },
};
