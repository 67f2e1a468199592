import { read, Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { evaluateRequest, type PolicySet } from "../../../../iam/eval/evaluate.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import { WRITER_ACTIONS } from "../../../../iam/policies/writer-policy.js";
import type { DeploymentRule } from "../../facts.js";
import { roleWrite } from "../../requests.js";
import { bucketResource, describeDecision, probeObjects, rolePolicySet, roleResource, roleTagsOf } from "../helpers.js";

export const permissionsRequired: DeploymentRule = {
  id: "permissions.required",
  title: "The role may put objects under every export prefix",
  severity: "critical",
  rationale:
    "Cloudsmith writes each log file with PutObject and sets bucket-owner-full-control with PutObjectAcl; without both, on the whole prefix, exports fail.",
  remediation: {
    terraform:
      "Keep aws_iam_role_policy.cloudsmith_writer_policy as generated; remove any Deny or permissions boundary that blocks it.",
    console:
      "IAM > Roles > (role) > Permissions: allow s3:PutObject and s3:PutObjectAcl on arn:aws:s3:::<bucket>/<prefix>/* for each log type.",
  },
  docs: "Evaluates the role's session writing an object under each configured prefix (s3:PutObject and s3:PutObjectAcl, over TLS, with the bucket-owner-full-control ACL) against the role's inline and attached policies, Deny statements and conditions included, intersected with its permissions boundary; where they do not allow it, an Allow in the bucket policy naming the role (within the boundary) or its session (beyond it) is enough, as within one account IAM allows either. A condition the request does not determine (a source IP, the organization) is ERROR. The bucket policy's side is bucket.no-deny-writer.",
  evaluate(facts) {
    const cfg = facts.config;
    if (!read(facts.role, "the role")) return fail(roleResource(cfg), "the role does not exist");
    const identityOnly = rolePolicySet(facts);
    // Within one account an Allow in the bucket policy naming the role is enough (IAM User Guide,
    // "Policy evaluation logic": identity-based OR resource-based, within the boundary). The bucket
    // policy is read only when the role's own policies do not allow the write.
    let withBucket: { policies: PolicySet } | { open: string } | undefined;
    const bucketSide = () => {
      if (withBucket) return withBucket;
      try {
        const doc = read(facts.exportBucket.policy, "the bucket policy");
        withBucket = {
          policies: doc
            ? {
                ...identityOnly,
                resource: { name: `the bucket policy of ${bucketResource(facts.exportBucket)}`, document: doc },
              }
            : identityOnly,
        };
      } catch (e) {
        if (!(e instanceof Undecidable)) throw e;
        withBucket = { open: `the role's policies do not allow it, and ${e.message}` };
      }
      return withBucket;
    };
    const missing: string[] = [];
    let open: string | undefined;
    let viaBucket = false;
    for (const probe of probeObjects(cfg)) {
      for (const action of WRITER_ACTIONS) {
        const request = roleWrite(cfg, action, probe.arn, roleTagsOf(facts));
        let policies = identityOnly;
        let d = evaluateRequest(request, policies);
        const at = `${action} under ${probe.prefix === "" ? "the bucket root" : `${probe.prefix}/`}`;
        if (d.allowed !== true && d.decision !== "explicit-deny") {
          const side = bucketSide();
          if ("open" in side) {
            open ??= `${at}: ${side.open}`;
            continue;
          }
          policies = side.policies;
          d = evaluateRequest(request, policies);
          if (d.allowed === true) viaBucket = true;
        }
        if (d.allowed === false) {
          const outsideBoundary =
            d.decision === "implicit-deny" &&
            policies.boundary !== undefined &&
            evaluateRequest(request, { identity: policies.identity, resource: policies.resource }).allowed === true;
          missing.push(
            outsideBoundary
              ? `${at} is outside ${policies.boundary!.name}`
              : `${at} is ${d.decision === "explicit-deny" ? describeDecision(d) : "not allowed by any of the role's policies or the bucket policy"}`,
          );
        } else if (isUndecided(d.allowed)) open ??= `${at}: ${describeDecision(d)}`;
      }
    }
    if (missing.length > 0) return fail(roleResource(cfg), missing.join("; "));
    if (open) throw new Undecidable("ERROR", `cannot tell whether the role may write: ${open}`);
    return pass(
      roleResource(cfg),
      `s3:PutObject and s3:PutObjectAcl allowed under ${probeObjects(cfg).length} prefix(es)${viaBucket ? " (in part through the bucket policy)" : ""}`,
    );
  },
};
