import { bucketArn, roleArn } from "../../../../config/derived.js";
import { read, Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { evaluateRequest } from "../../../../iam/eval/evaluate.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import type { DeploymentRule } from "../../facts.js";
import { OUTSIDER, s3Request } from "../../requests.js";
import { bucketResource, describeDecision, probeObjects } from "../helpers.js";

export const bucketTlsOnly: DeploymentRule = {
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
  docs: "Evaluates plain-HTTP requests (aws:SecureTransport false) against the bucket policy: s3:GetObject and s3:PutObject on an object under the export prefixes and s3:ListBucket on the bucket, by the role, by a role in another account and anonymously. Each must be explicitly denied.",
  evaluate(facts) {
    const cfg = facts.config;
    const b = facts.exportBucket;
    const doc = read(b.policy, "the bucket policy");
    if (!doc) return fail(bucketResource(b), "the bucket has no policy, so nothing denies plain-HTTP requests");
    const policy = { name: `the bucket policy of ${bucketResource(b)}`, document: doc };
    const object = probeObjects(cfg)[0]?.arn ?? `${bucketArn(cfg, b.name)}/probe`;
    const callers = [
      { who: "the role", caller: { type: "AWS" as const, account: cfg.accountId, arn: roleArn(cfg) } },
      { who: "another account", caller: OUTSIDER },
      { who: "an anonymous caller", caller: { type: "Anonymous" as const } },
    ];
    const requests = [
      { action: "s3:GetObject", resource: object },
      { action: "s3:PutObject", resource: object },
      { action: "s3:ListBucket", resource: bucketArn(cfg, b.name) },
    ];
    const open: string[] = [];
    let undecided: string | undefined;
    for (const { who, caller } of callers) {
      for (const { action, resource } of requests) {
        const d = evaluateRequest(s3Request(cfg, caller, action, resource, { "aws:SecureTransport": "false" }), {
          resource: policy,
        });
        if (d.denied === true) continue;
        if (isUndecided(d.denied))
          undecided ??= `${action} by ${who} is denied: ${d.undecided ? describeDecision(d) : d.denied.reason}`;
        else open.push(`${action} by ${who}`);
      }
    }
    if (open.length > 0)
      return fail(
        bucketResource(b),
        `plain-HTTP requests are not denied: ${open.join(", ")} (add a Deny on s3:* for the bucket and its objects when aws:SecureTransport is false)`,
      );
    if (undecided) throw new Undecidable("ERROR", `cannot tell whether a plain-HTTP ${undecided}`);
    return pass(bucketResource(b), "plain-HTTP requests are denied");
  },
};
