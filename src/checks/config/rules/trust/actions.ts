import { fail, pass } from "../../../../engine/rule.js";
import { asArray } from "../../../../iam/policies/types.js";
import { describeStatement, statementsOf } from "../../../../iam/policy-eval.js";
import type { ConfigRule } from "../../facts.js";
import { roleResource, trustPolicyOf } from "../helpers.js";

export const trustActions: ConfigRule = {
  id: "trust.actions",
  title: "The trust policy allows only sts:AssumeRole",
  severity: "high",
  rationale:
    "Wildcards such as sts:* or * also allow web-identity, SAML and session-tagging paths that Cloudsmith never uses.",
  remediation: {
    terraform: 'Use the generated trust policy: Action "sts:AssumeRole" only.',
    console: 'IAM > Roles > (role) > Trust relationships: set "Action": "sts:AssumeRole".',
  },
  docs: "Every Allow statement in the trust policy lists exactly `sts:AssumeRole` (no wildcard, no NotAction).",
  evaluate(facts) {
    const cfg = facts.config;
    const doc = trustPolicyOf(facts);
    if (!doc) return fail(roleResource(cfg), "the role does not exist");
    const problems = statementsOf([doc])
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.Effect === "Allow")
      .flatMap(({ s, i }) => {
        if (s.NotAction !== undefined) return [`${describeStatement(s, i)} uses NotAction`];
        const extra = asArray(s.Action).filter((a) => a.toLowerCase() !== "sts:assumerole");
        return extra.length > 0 ? [`${describeStatement(s, i)} allows ${extra.join(", ")}`] : [];
      });
    return problems.length > 0
      ? fail(roleResource(cfg), problems.join("; "))
      : pass(roleResource(cfg), "only sts:AssumeRole is allowed");
  },
};
