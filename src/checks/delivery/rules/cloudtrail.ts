import { trailBucketName } from "../../../config/derived.js";
import { fail, pass, read, skipped, type Rule } from "../../../engine/rule.js";
import { deliveryOf, formatAge, hoursBetween } from "./helpers.js";
import { trailOff } from "../../config/rules/helpers.js";


export const deliveryCloudTrail: Rule = {
  id: "delivery.cloudtrail",
  title: "CloudTrail log files are arriving",
  severity: "high",
  rationale: "A trail can look healthy and still deliver nothing (a changed bucket policy, a disabled key); only the files prove the audit trail exists.",
  remediation: { terraform: "Run verify without --delivery to check the trail bucket policy and key.", console: "CloudTrail > Trails > (trail): check the last delivery and its error." },
  docs: "The newest file under `[prefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` (looking back up to 7 days) is younger than --max-age; the message counts records by eventSource.",
  notApplicable: trailOff,
  evaluate(facts) {
    const delivery = deliveryOf(facts);
    const resource = `s3://${trailBucketName(facts.config)}/${facts.config.cloudtrail.prefix}`;
    const ct = read(delivery.cloudTrail, "the CloudTrail log files")!;
    if (!ct.newest) return skipped(resource, "no CloudTrail log file in the last 7 days (a new trail delivers within about 15 minutes)");
    const age = hoursBetween(ct.newest.lastModified, delivery.now);
    const sources = Object.entries(ct.bySource).sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s} ${n}`).join(", ");
    const summary = `${ct.records} records in ${ct.filesRead} file(s): ${sources || "none"}`;
    return age > delivery.maxAgeHours ? fail(resource, `newest log file is ${formatAge(age)} old; ${summary}`) : pass(resource, `newest log file ${formatAge(age)} ago; ${summary}`);
  },
};

export const deliveryCloudTrailCoverage: Rule = {
  id: "delivery.cloudtrail-coverage",
  title: "Recommendation: the trail shows CodeArtifact activity and Cloudsmith's writes",
  severity: "info",
  rationale: "Seeing codeartifact.amazonaws.com events and S3 PutObject data events on the export prefixes in the files confirms the selectors record what you need. A recommendation: quiet hours are normal.",
  remediation: { terraform: "Check the trail's event selectors (verify without --delivery).", console: "CloudTrail > Event history: filter by event source." },
  docs: "The newest CloudTrail files contain CodeArtifact events and, with `cloudtrail.dataEvents`, S3 writes under the export prefixes.",
  notApplicable: trailOff,
  evaluate(facts) {
    const delivery = deliveryOf(facts);
    const resource = `s3://${trailBucketName(facts.config)}/${facts.config.cloudtrail.prefix}`;
    const ct = read(delivery.cloudTrail, "the CloudTrail log files")!;
    if (!ct.newest) return skipped(resource, "no CloudTrail log file yet");
    const seen = [`CodeArtifact: ${ct.codeArtifact.readOnly} read-only, ${ct.codeArtifact.write} write`, `Cloudsmith writes on the export prefixes: ${ct.exportWrites}`];
    const missing = [ct.codeArtifact.readOnly + ct.codeArtifact.write === 0 && "no CodeArtifact events", facts.config.cloudtrail.dataEvents && ct.exportWrites === 0 && "no S3 writes on the export prefixes"].filter(Boolean);
    return missing.length > 0 ? fail(resource, `${missing.join("; ")} in the newest files (${seen.join("; ")})`) : pass(resource, seen.join("; "));
  },
};
