import { s3Uri } from "../../../../aws/s3.js";
import { bucketArn, partition, trailArn, trailHome } from "../../../../config/derived.js";
import { read, Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { evaluateRequest, type NamedPolicy } from "../../../../iam/eval/evaluate.js";
import { candidateActions } from "../../../../iam/eval/grants.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import { CLOUDTRAIL_SERVICE } from "../../../../iam/policies/bucket-policy.js";
import { trailKeyPrefix, trailOff } from "../../../shared.js";
import type { DeploymentFacts, DeploymentRule } from "../../facts.js";
import { OTHER_ACCOUNT, s3Request } from "../../requests.js";
import { describeDecision, where } from "../helpers.js";

const CLOUDTRAIL = { type: "Service" as const, service: CLOUDTRAIL_SERVICE };

/** `[prefix/]AWSLogs/[org/]account`: where the trail writes this account's files. */
function fileRoot(facts: DeploymentFacts): string {
  const cfg = facts.config;
  if (cfg.cloudtrail.mode === "create") return `${trailKeyPrefix(cfg)}AWSLogs/${cfg.accountId}`;
  const trail = read(facts.trail, "the trail");
  if (!trail)
    throw new Undecidable("ERROR", `the trail ${trailArn(cfg)} could not be read, so neither could its bucket`);
  if (trail.s3BucketName !== facts.trailBucket.name)
    throw new Undecidable(
      "ERROR",
      `the trail delivers to ${trail.s3BucketName ?? "no bucket"}, whose policy was not read`,
    );
  const prefix = trail.s3KeyPrefix ? `${trail.s3KeyPrefix.replace(/\/+$/, "")}/` : "";
  if (!trail.isOrganizationTrail) return `${prefix}AWSLogs/${cfg.accountId}`;
  const org = cfg.cloudtrail.organizationId;
  if (!org)
    throw new Undecidable(
      "ERROR",
      "an organization trail writes under AWSLogs/<organization id>/: set cloudtrail.organizationId to check its bucket policy",
    );
  return `${prefix}AWSLogs/${org}/${cfg.accountId}`;
}

export const trailBucketPolicy: DeploymentRule = {
  id: "trail.bucket-policy",
  title: "The trail bucket lets CloudTrail deliver for this trail only, and nothing more",
  severity: "high",
  rationale:
    "CloudTrail needs GetBucketAcl on the bucket and PutObject under AWSLogs/<account>/ with bucket-owner-full-control. Without them delivery fails; without aws:SourceArn any trail in any account could write there.",
  remediation: {
    terraform: "Keep the generated AWSCloudTrailAclCheck and AWSCloudTrailWrite statements in aws_s3_bucket_policy.",
    console:
      "S3 > (trail bucket) > Permissions > Bucket policy: add the two statements from the CloudTrail User Guide with aws:SourceArn = the trail ARN.",
  },
  docs: "Evaluates CloudTrail's delivery against the trail bucket's policy: cloudtrail.amazonaws.com, for this trail (aws:SourceArn and aws:SourceAccount), must be allowed s3:GetBucketAcl on the bucket and s3:PutObject of a log file under `[prefix/]AWSLogs/<account>/` with bucket-owner-full-control. The same requests for another account's trail must be refused, and so must every other S3 action the policy could grant CloudTrail (DeleteObject, GetObject, writes elsewhere in the bucket).",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    const b = facts.trailBucket;
    const resource = s3Uri(b.name);
    const root = fileRoot(facts);
    if (cfg.cloudtrail.mode === "existing" && b.policy.state === "error") {
      throw new Undecidable(
        "ERROR",
        `could not read the policy of ${resource}, where the trail delivers (${b.policy.detail}): the bucket is usually in the organization's log archive account; run verify with credentials that may s3:GetBucketPolicy there`,
      );
    }
    const doc = read(b.policy, `the policy of ${b.name}`);
    if (!doc) return fail(resource, "the trail bucket has no policy: CloudTrail cannot deliver");
    const policy: NamedPolicy = { name: `the bucket policy of ${resource}`, document: doc };
    const bucket = bucketArn(cfg, b.name);
    const logFile = `${bucket}/${root}/CloudTrail/${cfg.region}/2026/01/01/${cfg.accountId}_CloudTrail_${cfg.region}_20260101T0000Z_probe.json.gz`;
    const ours = { "aws:SourceArn": trailArn(cfg), "aws:SourceAccount": trailHome(cfg).account };
    const theirs = {
      "aws:SourceArn": `arn:${partition(cfg)}:cloudtrail:${cfg.region}:${OTHER_ACCOUNT}:trail/other`,
      "aws:SourceAccount": OTHER_ACCOUNT,
    };
    const ask = (action: string, on: string, context: Record<string, string>) =>
      evaluateRequest(s3Request(cfg, CLOUDTRAIL, action, on, context), { resource: policy });
    const acl = "bucket-owner-full-control";
    const needed = [
      {
        what: `s3:GetBucketAcl on ${bucket}`,
        action: "s3:GetBucketAcl",
        on: bucket,
        ctx: {} as Record<string, string>,
      },
      {
        what: `s3:PutObject of a log file with ${acl}`,
        action: "s3:PutObject",
        on: logFile,
        ctx: { "s3:x-amz-acl": acl },
      },
    ];
    const problems: string[] = [];
    let open: string | undefined;
    for (const n of needed) {
      const d = ask(n.action, n.on, { ...ours, ...n.ctx });
      if (d.allowed === false) problems.push(`CloudTrail cannot ${n.what}: ${describeDecision(d)}`);
      else if (isUndecided(d.allowed)) open ??= `${n.what}: ${describeDecision(d)}`;
      const other = ask(n.action, n.on, { ...theirs, ...n.ctx });
      if (other.allowed === true)
        problems.push(
          `another account's trail can ${n.what} (${other.allowedBy.map(where).join("; ")} is not scoped with aws:SourceArn)`,
        );
    }
    const extras = candidateActions(
      [doc],
      ["s3:DeleteObject", "s3:GetObject", "s3:PutObjectAcl", "s3:PutBucketPolicy"],
    ).filter((a) => a.toLowerCase().startsWith("s3:") && !/^s3:(GetBucketAcl|PutObject)$/i.test(a));
    const granted = new Map<string, string[]>();
    for (const action of extras) {
      for (const on of [bucket, logFile, `${bucket}/outside-AWSLogs/probe`]) {
        const d = ask(action, on, { ...ours, "s3:x-amz-acl": acl });
        if (d.allowed === true) {
          const key = d.allowedBy.map(where).join("; ");
          granted.set(key, [...new Set([...(granted.get(key) ?? []), action])]);
        }
      }
    }
    const stray = ask("s3:PutObject", `${bucket}/outside-AWSLogs/probe`, { ...ours, "s3:x-amz-acl": acl });
    if (stray.allowed === true)
      problems.push(`CloudTrail may write outside ${root}/ (${stray.allowedBy.map(where).join("; ")})`);
    for (const [by, actions] of granted) problems.push(`${by} grants CloudTrail ${actions.join(", ")}`);
    if (problems.length > 0) return fail(resource, problems.join("; "));
    if (open) throw new Undecidable("ERROR", `cannot tell whether CloudTrail can deliver: ${open}`);
    return pass(resource, "CloudTrail may deliver for this trail only, and nothing more");
  },
};
