import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { bucketResource } from "../helpers.js";

export const bucketRequesterPays: DeploymentRule = {
  id: "bucket.requester-pays",
  title: "The bucket is not Requester Pays",
  severity: "high",
  rationale:
    "Writes to a Requester Pays bucket fail unless the writer opts in, and CloudTrail cannot deliver to one at all.",
  remediation: {
    terraform: 'Remove aws_s3_bucket_request_payment_configuration, or set payer = "BucketOwner".',
    console: "S3 > (bucket) > Properties > Requester pays: Disable.",
  },
  docs: "GetBucketRequestPayment returns Payer BucketOwner.",
  evaluate(facts) {
    const results = [];
    const buckets =
      facts.trailBucket === facts.exportBucket || facts.config.cloudtrail.mode === "none"
        ? [facts.exportBucket]
        : [facts.exportBucket, facts.trailBucket];
    for (const b of buckets) {
      const payer = read(b.requestPayer, `the request payment setting of ${b.name}`);
      if (payer === undefined) throw new Error("GetBucketRequestPayment returned no Payer");
      results.push(
        payer === "BucketOwner"
          ? pass(bucketResource(b), "the bucket owner pays")
          : fail(bucketResource(b), `Payer is ${payer}`),
      );
    }
    return results;
  },
};
