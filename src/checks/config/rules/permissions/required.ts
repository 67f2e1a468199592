import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { WRITER_ACTIONS } from "../../../../iam/policies/writer-policy.js";
import { blockingDenies, describeStatement, unconditionalAllows } from "../../../../iam/policy-eval.js";
import type { ConfigRule } from "../../facts.js";
import { probeObjects, rolePolicyDocuments, roleResource } from "../helpers.js";

export const permissionsRequired: ConfigRule = {
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
  docs: "For an object key under each configured prefix, some unconditional Allow in the role's inline or attached policies grants s3:PutObject and s3:PutObjectAcl, no identity-policy Deny matches, and a permissions boundary (if any) allows it too.",
  evaluate(facts) {
    const cfg = facts.config;
    const role = read(facts.role, "the role");
    if (!role) return fail(roleResource(cfg), "the role does not exist");
    const docs = rolePolicyDocuments(facts).map((p) => p.doc);
    const boundary = read(facts.permissionsBoundary, "the permissions boundary");
    const missing: string[] = [];
    for (const probe of probeObjects(cfg)) {
      for (const action of WRITER_ACTIONS) {
        const ctx = { action, resource: probe.arn };
        const where = `${action} on ${probe.prefix === "" ? "the bucket root" : `${probe.prefix}/`}`;
        if (unconditionalAllows(docs, ctx).length === 0) missing.push(`${where} is not allowed`);
        const denies = blockingDenies(docs, ctx);
        if (denies.length > 0)
          missing.push(`${where} is denied by ${denies.map((s) => describeStatement(s)).join(", ")}`);
        if (boundary && unconditionalAllows([boundary], ctx).length === 0)
          missing.push(`${where} is outside the permissions boundary`);
      }
    }
    return missing.length > 0
      ? fail(roleResource(cfg), missing.join("; "))
      : pass(
          roleResource(cfg),
          `s3:PutObject and s3:PutObjectAcl allowed under ${probeObjects(cfg).length} prefix(es)`,
        );
  },
};
