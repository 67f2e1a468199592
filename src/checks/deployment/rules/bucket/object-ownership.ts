import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { bucketResource } from "../helpers.js";

export const bucketObjectOwnership: DeploymentRule = {
  id: "bucket.object-ownership",
  title: "Object Ownership is BucketOwnerEnforced",
  severity: "medium",
  rationale:
    "With ACLs disabled you own every object Cloudsmith writes; its bucket-owner-full-control uploads still succeed, while other ACLs cannot grant access.",
  remediation: {
    terraform: 'aws_s3_bucket_ownership_controls with rule.object_ownership = "BucketOwnerEnforced".',
    console: "S3 > (bucket) > Permissions > Object Ownership: ACLs disabled (Bucket owner enforced).",
  },
  docs: "GetBucketOwnershipControls returns one rule, BucketOwnerEnforced.",
  evaluate(facts) {
    const b = facts.exportBucket;
    const ownership = read(b.ownership, "the ownership controls");
    if (!ownership) return fail(bucketResource(b), "no ownership controls (ACLs decide object ownership)");
    return ownership === "BucketOwnerEnforced"
      ? pass(bucketResource(b), "BucketOwnerEnforced")
      : fail(bucketResource(b), `ownership is ${ownership}`);
  },
};
