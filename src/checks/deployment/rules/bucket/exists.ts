import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { bucketResource, presence } from "../helpers.js";

export const bucketExists: DeploymentRule = {
  id: "bucket.exists",
  title: "The export bucket exists in the configured account",
  severity: "critical",
  rationale:
    "Cloudsmith writes to the bucket by name; if it is missing, or owned by another account, logs are lost or handed to someone else.",
  remediation: {
    terraform: "Apply the generated Terraform, or fix `bucket.name` for an existing bucket.",
    console: "S3 > Buckets: create the bucket in the configured account and region.",
  },
  docs: "HeadBucket with ExpectedBucketOwner = `accountId`: a bucket owned by another account reads as an error, never a pass.",
  evaluate(facts) {
    const b = facts.exportBucket;
    const found = read(b.exists, `bucket ${b.name}`);
    const where = presence(facts);
    if (!found) return fail(bucketResource(b), `bucket ${b.name} ${where.isNot}`);
    if (found.region && found.region !== facts.config.region) {
      return fail(bucketResource(b), `bucket is in ${found.region}, the config says ${facts.config.region}`);
    }
    return pass(bucketResource(b), `bucket ${where.is} in account ${facts.config.accountId}`);
  },
};
