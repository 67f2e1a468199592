import type { DeploymentRule } from "../../facts.js";
import { trailAttributeRule } from "./attribute.js";

export const trailCloudWatchLogs: DeploymentRule = trailAttributeRule({
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
  holds: (trail) => Boolean(trail.cloudWatchLogsLogGroupArn),
  passMessage: (trail) => `delivers to ${trail.cloudWatchLogsLogGroupArn}`,
  failMessage: "not sent to CloudWatch Logs; consider it for alerting",
});
