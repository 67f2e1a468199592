import { read, Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { evaluateRequest } from "../../../../iam/eval/evaluate.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import { WRITER_ACTIONS } from "../../../../iam/policies/writer-policy.js";
import type { DeploymentRule } from "../../facts.js";
import { roleWrite } from "../../requests.js";
import { describeDecision, probeObjects, rolePolicySet, roleResource } from "../helpers.js";

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
  docs: "Evaluates the role's session writing an object under each configured prefix (s3:PutObject and s3:PutObjectAcl, over TLS, with the bucket-owner-full-control ACL) against the role's inline and attached policies, Deny statements and conditions included, intersected with its permissions boundary. A condition the request does not determine (a source IP, the organization) is ERROR. The bucket policy's side is bucket.no-deny-writer.",
  evaluate(facts) {
    const cfg = facts.config;
    if (!read(facts.role, "the role")) return fail(roleResource(cfg), "the role does not exist");
    const policies = rolePolicySet(facts);
    const missing: string[] = [];
    let open: string | undefined;
    for (const probe of probeObjects(cfg)) {
      for (const action of WRITER_ACTIONS) {
        const request = roleWrite(cfg, action, probe.arn);
        const d = evaluateRequest(request, policies);
        const at = `${action} under ${probe.prefix === "" ? "the bucket root" : `${probe.prefix}/`}`;
        if (d.allowed === false) {
          const outsideBoundary =
            d.decision === "implicit-deny" &&
            policies.boundary !== undefined &&
            evaluateRequest(request, { identity: policies.identity }).allowed === true;
          missing.push(
            outsideBoundary
              ? `${at} is outside ${policies.boundary!.name}`
              : `${at} is ${d.decision === "explicit-deny" ? describeDecision(d) : "not allowed by any of the role's policies"}`,
          );
        } else if (isUndecided(d.allowed)) open ??= `${at}: ${describeDecision(d)}`;
      }
    }
    if (missing.length > 0) return fail(roleResource(cfg), missing.join("; "));
    if (open) throw new Undecidable("ERROR", `cannot tell whether the role may write: ${open}`);
    return pass(
      roleResource(cfg),
      `s3:PutObject and s3:PutObjectAcl allowed under ${probeObjects(cfg).length} prefix(es)`,
    );
  },
};
