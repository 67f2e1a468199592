import type { DeploymentRule } from "../../facts.js";
import { trailAttributeRule } from "./attribute.js";

export const trailKms: DeploymentRule = trailAttributeRule({
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
  holds: (trail) => Boolean(trail.kmsKeyId),
  passMessage: (trail) => `encrypted with ${trail.kmsKeyId}`,
  failMessage: "trail files use SSE-S3; consider cloudtrail.kmsKeyArn",
});
