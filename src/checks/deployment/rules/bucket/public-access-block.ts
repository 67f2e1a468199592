import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { bucketResource } from "../helpers.js";

const SETTINGS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

export const bucketPublicAccessBlock: DeploymentRule = {
  id: "bucket.public-access-block",
  title: "Block Public Access: all four settings on",
  severity: "high",
  rationale: "Download and audit logs name users, IPs and packages; one public ACL or policy would expose them.",
  remediation: {
    terraform: "aws_s3_bucket_public_access_block with all four arguments true (generated for new buckets).",
    console: "S3 > (bucket) > Permissions > Block public access: turn on all four settings.",
  },
  docs: "GetPublicAccessBlock on the bucket: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets are all true. A missing configuration fails.",
  evaluate(facts) {
    const b = facts.exportBucket;
    const pab = read(b.publicAccessBlock, "the public access block");
    if (!pab) return fail(bucketResource(b), "no Block Public Access configuration on the bucket");
    const off = SETTINGS.filter((k) => pab[k] !== true);
    return off.length > 0
      ? fail(bucketResource(b), `off: ${off.join(", ")}`)
      : pass(bucketResource(b), "all four settings on");
  },
};
