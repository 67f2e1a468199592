import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { ConfigRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

export const trailLogValidation: ConfigRule = {
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
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    const trail = read(facts.trail, "the trail");
    if (!trail) return fail(trailResource(cfg), "the trail does not exist");
    return trail.logFileValidationEnabled
      ? pass(trailResource(cfg), "log file validation on")
      : fail(trailResource(cfg), "log file validation is off");
  },
};
