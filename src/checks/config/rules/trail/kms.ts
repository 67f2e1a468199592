import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { ConfigRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

export const trailKms: ConfigRule = {
  id: "trail.kms",
  title: "Recommendation: encrypt trail files with a customer KMS key",
  severity: "info",
  rationale:
    "A customer key adds a second permission check on reading the trail (CIS CloudTrail.2). A recommendation: never fails the run.",
  remediation: {
    terraform: "Set `cloudtrail.kmsKeyArn` in the config (the key policy must allow cloudtrail.amazonaws.com).",
    console: "CloudTrail > Trails > (trail) > Edit > Log file SSE-KMS encryption.",
  },
  docs: "GetTrail: KmsKeyId is set.",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    const trail = read(facts.trail, "the trail");
    if (!trail) return fail(trailResource(cfg), "the trail does not exist");
    return trail.kmsKeyId
      ? pass(trailResource(cfg), `encrypted with ${trail.kmsKeyId}`)
      : fail(trailResource(cfg), "trail files use SSE-S3; consider cloudtrail.kmsKeyArn");
  },
};
