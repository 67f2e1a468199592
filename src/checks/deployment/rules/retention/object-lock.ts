import { retentionOf } from "../../../../config/derived.js";
import { errored, fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { bucketResource, presence } from "../helpers.js";

export const retentionObjectLock: DeploymentRule = {
  id: "retention.object-lock",
  title: "The trail's files are under S3 Object Lock for the whole retention",
  severity: "high",
  rationale:
    "With retention.objectLock the config promises that no one can delete or overwrite a trail file before the retention ends. That holds only if the trail's bucket was created with Object Lock and its default retention is the mode asked for (compliance: nobody, the root user included; governance: only holders of s3:BypassGovernanceRetention) for at least the retention's days.",
  remediation: {
    terraform:
      "Run synth again and terraform apply: the trail gets a bucket of its own created with Object Lock and a default retention. Object Lock cannot be added to an existing bucket through Terraform's aws_s3_bucket: a new bucket is needed.",
    console:
      "S3 > (trail bucket) > Properties > Object Lock: default retention on, the mode and days the config names. A bucket created without Object Lock needs AWS support or a new bucket.",
  },
  docs: "Reads the trail bucket's Object Lock configuration (live, or from the plan). It must be enabled, with a default retention in the configured mode (compliance, or governance when governance is asked; compliance is stricter and accepted) for at least `retention.days` (years count as 365 days). Missing, shorter or a weaker mode FAILs; an unreadable configuration is ERROR. Only with `retention.objectLock` (SKIPPED otherwise).",
  notApplicable: (cfg) =>
    cfg.retention?.objectLock === undefined
      ? "retention.objectLock is not set: the trail's files are not locked"
      : undefined,
  evaluate(facts) {
    const keep = retentionOf(facts.config)!;
    const b = facts.trailBucket;
    const resource = bucketResource(b);
    const lock = b.objectLock;
    if (!lock) return errored(resource, "the Object Lock configuration was not read");
    if (lock.state === "absent")
      return fail(
        resource,
        `Object Lock is not enabled on the trail's bucket: its files can be deleted at any time (${lock.detail})`,
      );
    if (lock.state !== "present")
      return errored(resource, `could not read the Object Lock configuration: ${lock.detail}`);
    const v = lock.value;
    if (!v.enabled) return fail(resource, "Object Lock is not enabled on the trail's bucket");
    if (!v.mode) return fail(resource, "Object Lock has no default retention: new trail files are not locked");
    const days = (v.days ?? 0) + (v.years ?? 0) * 365;
    const wrong: string[] = [];
    if (keep.objectLock === "compliance" && v.mode !== "COMPLIANCE")
      wrong.push(
        `the default retention is ${v.mode}, not COMPLIANCE: holders of s3:BypassGovernanceRetention can delete files`,
      );
    if (days < keep.days) wrong.push(`it locks new files ${days} days, less than the ${keep.days} days retention`);
    return wrong.length > 0
      ? fail(resource, wrong.join("; "))
      : pass(resource, `new trail files are locked ${days} days in ${v.mode} mode (the bucket ${presence(facts).is})`);
  },
};
