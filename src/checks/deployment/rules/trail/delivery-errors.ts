import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { DeploymentRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

export const trailDeliveryErrors: DeploymentRule = {
  id: "trail.delivery-errors",
  title: "No recent delivery error",
  severity: "high",
  rationale:
    "A trail can be logging yet failing to write (a changed bucket policy, a disabled KMS key): the events are then lost.",
  remediation: {
    terraform: "Fix the cause in the error (usually the bucket or key policy), then apply.",
    console: "CloudTrail > Trails > (trail): see the delivery error, fix the bucket or key policy.",
  },
  docs: "GetTrailStatus: LatestDeliveryError is empty. Only observable on a deployed trail.",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    if (!read(facts.trail, "the trail")) return fail(trailResource(cfg), "the trail does not exist");
    const error = read(facts.trailDeliveryError, "the trail's latest delivery error");
    return error
      ? fail(trailResource(cfg), `latest delivery failed: ${error}`)
      : pass(trailResource(cfg), "no delivery error");
  },
};
