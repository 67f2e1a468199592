import type { DeploymentRule } from "../../facts.js";
import { trailAttributeRule } from "./attribute.js";

export const trailLogValidation: DeploymentRule = trailAttributeRule({
  id: "trail.log-validation",
  title: "Log file validation is on",
  severity: "high",
  rationale:
    "Without signed digests nobody can prove the trail's files were not changed or deleted (CIS CloudTrail.4).",
  remediation: {
    terraform: "aws_cloudtrail `enable_log_file_validation = true` (generated).",
    console: "CloudTrail > Trails > (trail) > Edit > Log file validation: Enabled.",
  },
  docs: "GetTrail: LogFileValidationEnabled.",
  holds: (trail) => Boolean(trail.logFileValidationEnabled),
  passMessage: (_trail) => "log file validation on",
  failMessage: "log file validation is off",
});
