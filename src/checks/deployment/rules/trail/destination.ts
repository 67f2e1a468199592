import { s3Uri } from "../../../../aws/s3.js";
import { trailBucketName } from "../../../../config/derived.js";
import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { DeploymentRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

export const trailDestination: DeploymentRule = {
  id: "trail.destination",
  title: "The trail delivers to the configured bucket and prefix",
  severity: "medium",
  rationale: "Files delivered elsewhere are outside the bucket whose policy, encryption and retention you verified.",
  remediation: {
    terraform: "aws_cloudtrail `s3_bucket_name` and `s3_key_prefix` as generated.",
    console: "CloudTrail > Trails > (trail) > Edit > Storage location.",
  },
  docs: "GetTrail: S3BucketName is the trail bucket (the export bucket, or the dedicated one for an existing bucket) and S3KeyPrefix is `cloudtrail.prefix`. With an existing trail, its own destination is taken as it is: it only has to name a bucket.",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    const trail = read(facts.trail, "the trail");
    if (!trail) return fail(trailResource(cfg), "the trail does not exist");
    if (cfg.cloudtrail.mode === "existing") {
      return trail.s3BucketName
        ? pass(trailResource(cfg), `delivers to ${s3Uri(trail.s3BucketName, trail.s3KeyPrefix || undefined)}`)
        : fail(trailResource(cfg), "the trail names no S3 bucket");
    }
    const bucket = trailBucketName(cfg);
    const problems = [];
    if (trail.s3BucketName !== bucket)
      problems.push(`delivers to bucket ${trail.s3BucketName ?? "(none)"}, expected ${bucket}`);
    if ((trail.s3KeyPrefix ?? "") !== cfg.cloudtrail.prefix)
      problems.push(`uses prefix "${trail.s3KeyPrefix ?? ""}", expected "${cfg.cloudtrail.prefix}"`);
    return problems.length > 0
      ? fail(trailResource(cfg), problems.join("; "))
      : pass(trailResource(cfg), `delivers to ${s3Uri(bucket, cfg.cloudtrail.prefix)}`);
  },
};
