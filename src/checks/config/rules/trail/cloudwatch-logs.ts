import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { ConfigRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

export const trailCloudWatchLogs: ConfigRule = {
  id: "trail.cloudwatch-logs",
  title: "Recommendation: send the trail to CloudWatch Logs",
  severity: "info",
  rationale:
    "CloudWatch Logs lets you alarm on events (e.g. changes to the Cloudsmith role) as they happen (CIS CloudTrail.5). A recommendation: never fails the run.",
  remediation: {
    terraform: "Set aws_cloudtrail `cloud_watch_logs_group_arn` and `cloud_watch_logs_role_arn`.",
    console: "CloudTrail > Trails > (trail) > CloudWatch Logs: Edit.",
  },
  docs: "GetTrail: CloudWatchLogsLogGroupArn is set.",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    const trail = read(facts.trail, "the trail");
    if (!trail) return fail(trailResource(cfg), "the trail does not exist");
    return trail.cloudWatchLogsLogGroupArn
      ? pass(trailResource(cfg), `delivers to ${trail.cloudWatchLogsLogGroupArn}`)
      : fail(trailResource(cfg), "not sent to CloudWatch Logs; consider it for alerting");
  },
};
