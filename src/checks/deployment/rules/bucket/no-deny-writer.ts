import { read, Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { evaluateRequest } from "../../../../iam/eval/evaluate.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import { WRITER_ACTIONS } from "../../../../iam/policies/writer-policy.js";
import type { DeploymentRule } from "../../facts.js";
import { roleWrite } from "../../requests.js";
import { bucketResource, describeDecision, probeObjects, roleTagsOf } from "../helpers.js";

export const bucketNoDenyWriter: DeploymentRule = {
  id: "bucket.no-deny-writer",
  title: "No bucket-policy statement denies the role's writes",
  severity: "critical",
  rationale:
    "An explicit Deny in the bucket policy (for example one that only admits your organization's network) beats the role's Allow, and every export fails.",
  remediation: {
    terraform:
      "Exclude the Cloudsmith role from the Deny (e.g. an ArnNotEquals aws:PrincipalArn condition), or narrow the Deny's actions or resources.",
    console:
      "S3 > (bucket) > Permissions > Bucket policy: make sure no Deny matches the role's PutObject/PutObjectAcl on the export prefixes.",
  },
  docs: "Evaluates the role's s3:PutObject and s3:PutObjectAcl (its session, over TLS, with the bucket-owner-full-control ACL, no encryption header, from Cloudsmith's network) on an object under each export prefix against the bucket policy's Deny statements and their conditions. A Deny that only applies to others (plain HTTP, other accounts, a perimeter that exempts the role) passes; one whose condition cannot be decided (the role's organization, a source IP) is ERROR.",
  evaluate(facts) {
    const b = facts.exportBucket;
    const doc = read(b.policy, "the bucket policy");
    if (!doc) return pass(bucketResource(b), "the bucket has no policy, so nothing denies the writes");
    const policy = { name: `the bucket policy of ${bucketResource(b)}`, document: doc };
    const blocked: string[] = [];
    for (const probe of probeObjects(facts.config)) {
      for (const action of WRITER_ACTIONS) {
        // Only the bucket policy's Deny statements matter here: the identity side is permissions.required.
        const d = evaluateRequest(roleWrite(facts.config, action, probe.arn, roleTagsOf(facts)), { resource: policy });
        const where = `${action} under ${probe.prefix || "the bucket root"}`;
        if (d.deniedBy.length > 0) blocked.push(`${where}: ${describeDecision(d)}`);
        else if (isUndecided(d.allowed)) {
          throw new Undecidable("ERROR", `cannot tell whether ${where} is denied: ${describeDecision(d)}`);
        }
      }
    }
    return blocked.length > 0
      ? fail(bucketResource(b), `the role's writes are denied: ${blocked.join("; ")}`)
      : pass(bucketResource(b), "no Deny in the bucket policy applies to the role's writes");
  },
};
