import { bucketArn } from "../../../../config/derived.js";
import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { asArray } from "../../../../iam/policies/types.js";
import { isTlsOnlyCondition, statementCoversAction, statementsOf, wildcardMatch } from "../../../../iam/policy-eval.js";
import type { ConfigRule } from "../../facts.js";
import { bucketResource } from "../helpers.js";

export const bucketTlsOnly: ConfigRule = {
  id: "bucket.tls-only",
  title: "The bucket policy denies requests without TLS",
  severity: "medium",
  rationale:
    "Logs in transit over plain HTTP can be read or altered; a Deny on aws:SecureTransport = false closes that for every caller.",
  remediation: {
    terraform:
      "Add the generated DenyInsecureTransport statement (Deny, Principal *, s3:*, bucket and bucket/*, Bool aws:SecureTransport false).",
    console: "S3 > (bucket) > Permissions > Bucket policy: add a Deny for s3:* when aws:SecureTransport is false.",
  },
  docs: "A Deny statement with Principal `*`, covering s3:* on the bucket and its objects, conditioned on Bool aws:SecureTransport = false.",
  evaluate(facts) {
    const b = facts.exportBucket;
    const doc = read(b.policy, "the bucket policy");
    if (!doc) return fail(bucketResource(b), "the bucket has no policy, so nothing denies plain-HTTP requests");
    const arn = bucketArn(facts.config, b.name);
    const ok = statementsOf([doc]).some(
      (s) =>
        s.Effect === "Deny" &&
        isTlsOnlyCondition(s) &&
        (s.Principal === "*" || asArray(s.Principal?.AWS).includes("*")) &&
        statementCoversAction(s, "s3:GetObject") &&
        statementCoversAction(s, "s3:PutObject") &&
        statementCoversAction(s, "s3:ListBucket") &&
        asArray(s.Resource).some((r) => wildcardMatch(r, arn)) &&
        asArray(s.Resource).some((r) => wildcardMatch(r, `${arn}/any-key`)),
    );
    return ok
      ? pass(bucketResource(b), "plain-HTTP requests are denied")
      : fail(
          bucketResource(b),
          "no statement denies s3:* on the bucket and its objects when aws:SecureTransport is false",
        );
  },
};
