import { read } from "../../../engine/fact.js";
import { fail, pass, skipped } from "../../../engine/rule.js";
import { trailFilesResource, trailOff } from "../../shared.js";
import type { DeliveryRule } from "../facts.js";
import { deliveryOf, formatAge, hoursBetween } from "./helpers.js";

export const deliveryCloudTrail: DeliveryRule = {
  id: "delivery.cloudtrail",
  title: "CloudTrail log files are arriving",
  severity: "high",
  rationale:
    "A trail can look healthy and still deliver nothing (a changed bucket policy, a disabled key); only the files prove the audit trail exists.",
  remediation: {
    terraform: "Run verify without --delivery to check the trail bucket policy and key.",
    console: "CloudTrail > Trails > (trail): check the last delivery and its error.",
  },
  docs: "The newest file under `[prefix/]AWSLogs/[<org id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/` (looking back up to 7 days) is younger than --max-age; the message counts records by eventSource. No file at all fails, unless the trail started logging within --max-age: the longer delivery is broken, the worse it looks, never better.",
  notApplicable: trailOff,
  evaluate(facts) {
    const delivery = deliveryOf(facts);
    const resource = trailFilesResource(facts.config);
    const ct = read(delivery.cloudTrail, "the CloudTrail log files")!;
    if (!ct.newest) {
      // Only a trail that started logging within --max-age may have delivered nothing yet.
      const started = ct.startedLogging ? hoursBetween(ct.startedLogging, delivery.now) : undefined;
      return started !== undefined && started <= delivery.maxAgeHours
        ? skipped(
            resource,
            `no CloudTrail log file yet: logging started ${formatAge(started)} ago (a new trail delivers within about 15 minutes)`,
          )
        : fail(resource, `no CloudTrail log file in the last 7 days under ${ct.location ?? resource}`);
    }
    const age = hoursBetween(ct.newest.lastModified, delivery.now);
    const sources = Object.entries(ct.bySource)
      .sort((a, b) => b[1] - a[1])
      .map(([s, n]) => `${s} ${n}`)
      .join(", ");
    const summary = `${ct.records} records in ${ct.filesRead} file(s): ${sources || "none"}`;
    return age > delivery.maxAgeHours
      ? fail(resource, `newest log file is ${formatAge(age)} old; ${summary}`)
      : pass(resource, `newest log file ${formatAge(age)} ago; ${summary}`);
  },
};
