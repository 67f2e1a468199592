import { s3Uri } from "../../../../aws/s3.js";
import { bucketArn, trailArn } from "../../../../config/derived.js";
import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { CLOUDTRAIL_SERVICE, cloudTrailWriteResource } from "../../../../iam/policies/bucket-policy.js";
import { asArray, type Statement } from "../../../../iam/policies/types.js";
import { describeStatement, statementCoversAction, statementsOf } from "../../../../iam/policy-eval.js";
import { trailKeyPrefix, trailOff } from "../../../shared.js";
import type { ConfigRule } from "../../facts.js";
import { values } from "../helpers.js";

const isCloudTrail = (s: Statement) =>
  s.Principal !== undefined && s.Principal !== "*" && asArray(s.Principal.Service).includes(CLOUDTRAIL_SERVICE);
const condition = (s: Statement, op: string, key: string) => values(s.Condition?.[op]?.[key]);

export const trailBucketPolicy: ConfigRule = {
  id: "trail.bucket-policy",
  title: "The trail bucket grants CloudTrail exactly what it needs, scoped with aws:SourceArn",
  severity: "high",
  rationale:
    "CloudTrail needs GetBucketAcl on the bucket and PutObject under AWSLogs/<account>/ with bucket-owner-full-control. Without them delivery fails; without aws:SourceArn any trail in any account could write there.",
  remediation: {
    terraform: "Keep the generated AWSCloudTrailAclCheck and AWSCloudTrailWrite statements in aws_s3_bucket_policy.",
    console:
      "S3 > (trail bucket) > Permissions > Bucket policy: add the two statements from the CloudTrail User Guide with aws:SourceArn = the trail ARN.",
  },
  docs: "The trail bucket's policy allows cloudtrail.amazonaws.com s3:GetBucketAcl on the bucket and s3:PutObject on `[prefix/]AWSLogs/<account>/*` with s3:x-amz-acl = bucket-owner-full-control, both with StringEquals aws:SourceArn = the trail ARN; no other CloudTrail grant is broader.",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    const b = facts.trailBucket;
    const resource = s3Uri(b.name);
    const doc = read(b.policy, `the policy of ${b.name}`);
    if (!doc) return fail(resource, "the trail bucket has no policy: CloudTrail cannot deliver");
    const arn = trailArn(cfg);
    const bucket = bucketArn(cfg, b.name);
    const writeResource = cloudTrailWriteResource({
      bucketArn: bucket,
      keyPrefix: trailKeyPrefix(cfg),
      accountId: cfg.accountId,
    });
    const grants = statementsOf([doc]).filter((s) => s.Effect === "Allow" && isCloudTrail(s));
    const scoped = (s: Statement) => condition(s, "StringEquals", "aws:SourceArn").includes(arn);
    const acl = grants.some(
      (s) => asArray(s.Action).includes("s3:GetBucketAcl") && asArray(s.Resource).includes(bucket) && scoped(s),
    );
    const write = grants.some(
      (s) =>
        asArray(s.Action).includes("s3:PutObject") &&
        asArray(s.Resource).includes(writeResource) &&
        scoped(s) &&
        condition(s, "StringEquals", "s3:x-amz-acl").includes("bucket-owner-full-control"),
    );
    const problems = [];
    if (!acl) problems.push(`no AclCheck grant (s3:GetBucketAcl on ${bucket} with aws:SourceArn = ${arn})`);
    if (!write)
      problems.push(
        `no Write grant (s3:PutObject on ${writeResource} with bucket-owner-full-control and aws:SourceArn = ${arn})`,
      );
    grants.forEach((s, i) => {
      const actions = asArray(s.Action);
      const extra = actions.filter((a) => a !== "s3:GetBucketAcl" && a !== "s3:PutObject");
      if (s.NotAction !== undefined || extra.length > 0 || statementCoversAction(s, "s3:DeleteObject"))
        problems.push(`${describeStatement(s, i)} grants CloudTrail ${extra.join(", ") || "more actions"}`);
      if (!scoped(s)) problems.push(`${describeStatement(s, i)} is not scoped with aws:SourceArn = ${arn}`);
    });
    return problems.length > 0
      ? fail(resource, problems.join("; "))
      : pass(resource, "AclCheck and Write granted to this trail only");
  },
};
