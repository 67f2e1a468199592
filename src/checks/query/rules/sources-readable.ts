import { errored, fail, type Outcome, pass, skipped } from "../../../engine/rule.js";
import type { QueryRule } from "../facts.js";
import { noQueryLayer, queryOf, tableResource } from "./helpers.js";

export const querySourcesReadable: QueryRule = {
  id: "query.sources-readable",
  title: "Whoever runs the checks can read where each table points",
  severity: "high",
  rationale:
    "Athena reads the objects with the permissions of whoever runs the query. A table over an organization trail's bucket in another account, or over a prefix the caller cannot list, fails every investigation at the moment it is needed.",
  remediation: {
    terraform:
      "Grant s3:ListBucket and s3:GetObject on the table's location to the role that investigates (verify --print-iam-policy --athena-engine), and, for another account's bucket, allow that role in the bucket's policy.",
    console: "IAM > Roles > (the role): add the statements; S3 > (the trail's bucket) > Bucket policy: allow the role.",
  },
  docs: "Lists one key under each table's location (the export prefixes, the trail's AWSLogs/ folder) with the credentials verify runs as. A denied listing is ERROR naming s3:ListBucket; a bucket that does not exist is FAIL; an empty location is SKIPPED (nothing delivered yet).",
  notApplicable: noQueryLayer,
  evaluate(facts) {
    return queryOf(facts).readable.map(({ spec, listing }): Outcome => {
      const resource = tableResource(facts, spec);
      if (listing.state === "present")
        return listing.value.objects > 0
          ? pass(resource, `${spec.location} can be listed`)
          : skipped(resource, `nothing under ${spec.location} yet`);
      if (listing.state === "absent")
        return fail(resource, `${spec.location}: no such bucket, so every query of the table reads nothing`);
      return errored(resource, `${spec.location} cannot be read: ${listing.detail}`);
    });
  },
};
