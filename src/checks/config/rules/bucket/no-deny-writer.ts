import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { WRITER_ACTIONS } from "../../../../iam/policies/writer-policy.js";
import { blockingDenies, describeStatement } from "../../../../iam/policy-eval.js";
import type { ConfigRule } from "../../facts.js";
import { bucketResource, callerContext, probeObjects } from "../helpers.js";

export const bucketNoDenyWriter: ConfigRule = {
  id: "bucket.no-deny-writer",
  title: "No bucket-policy statement denies the role's writes",
  severity: "critical",
  rationale:
    "An explicit Deny in the bucket policy (for example one that only admits your organization's principals) beats the role's Allow, and every export fails.",
  remediation: {
    terraform:
      "Exclude the Cloudsmith role from the Deny (e.g. aws:PrincipalArn condition), or narrow the Deny's actions or resources.",
    console:
      "S3 > (bucket) > Permissions > Bucket policy: make sure no Deny matches the role's PutObject/PutObjectAcl on the export prefixes.",
  },
  docs: "For an object under each export prefix, no Deny statement in the bucket policy whose principal covers the role matches s3:PutObject or s3:PutObjectAcl. The TLS-only Deny is ignored (Cloudsmith uses TLS); any other conditional Deny counts, since it may apply.",
  evaluate(facts) {
    const b = facts.exportBucket;
    const doc = read(b.policy, "the bucket policy");
    if (!doc) return pass(bucketResource(b), "the bucket has no policy, so nothing denies the writes");
    const blocked: string[] = [];
    for (const probe of probeObjects(facts.config)) {
      for (const action of WRITER_ACTIONS) {
        const denies = blockingDenies([doc], { action, resource: probe.arn, ...callerContext(facts.config) });
        if (denies.length > 0)
          blocked.push(
            `${action} under ${probe.prefix || "the bucket root"} by ${denies.map((s) => describeStatement(s)).join(", ")}`,
          );
      }
    }
    return blocked.length > 0
      ? fail(bucketResource(b), `denied: ${blocked.join("; ")}`)
      : pass(bucketResource(b), "no Deny matches the role's writes");
  },
};
