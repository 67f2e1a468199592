import { fail, pass } from "../../../../engine/rule.js";
import { describeStatement } from "../../../../iam/policy-eval.js";
import type { ConfigRule } from "../../facts.js";
import { assumeStatements, conditionKeys, roleResource, trustPolicyOf } from "../helpers.js";

export const trustNoMfa: ConfigRule = {
  id: "trust.no-mfa",
  title: "No MFA condition that Cloudsmith cannot meet",
  severity: "high",
  rationale: "Cloudsmith assumes the role from a service, without MFA: an MFA condition silently stops every export.",
  remediation: {
    terraform:
      "Remove aws:MultiFactorAuthPresent / aws:MultiFactorAuthAge from the trust policy; the External ID is the right guard.",
    console: "IAM > Roles > (role) > Trust relationships: remove the MFA condition.",
  },
  docs: "No Allow statement for sts:AssumeRole has an `aws:MultiFactorAuth*` condition key.",
  evaluate(facts) {
    const cfg = facts.config;
    const doc = trustPolicyOf(facts);
    if (!doc) return fail(roleResource(cfg), "the role does not exist");
    const bad = assumeStatements(doc)
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => conditionKeys(s).some((k) => k.toLowerCase().startsWith("aws:multifactorauth")));
    return bad.length > 0
      ? fail(
          roleResource(cfg),
          `${bad.map(({ s, i }) => describeStatement(s, i)).join(", ")} require MFA, which Cloudsmith cannot provide`,
        )
      : pass(roleResource(cfg), "no MFA condition");
  },
};
