import { cloudsmithPrincipalArn } from "../../../../config/derived.js";
import { fail, pass } from "../../../../engine/rule.js";
import { asArray } from "../../../../iam/policies/types.js";
import { describeStatement } from "../../../../iam/policy-eval.js";
import type { ConfigRule } from "../../facts.js";
import { assumeStatements, isCloudsmithPrincipal, roleResource, trustPolicyOf } from "../helpers.js";

export const trustPrincipal: ConfigRule = {
  id: "trust.principal",
  title: "Only Cloudsmith's account may assume the role",
  severity: "critical",
  rationale:
    "Any other principal in an Allow (a `*`, a second account, a service) can write into your audit bucket as Cloudsmith.",
  remediation: {
    terraform: 'Use the generated trust policy: one statement, Principal {"AWS": "arn:aws:iam::884446598447:root"}.',
    console:
      "IAM > Roles > (role) > Trust relationships: keep one statement whose principal is arn:aws:iam::884446598447:root.",
  },
  docs: "Every Allow statement that grants sts:AssumeRole (or a wildcard covering it) must name exactly Cloudsmith's account; no `*`, no NotPrincipal, no extra principals.",
  evaluate(facts) {
    const cfg = facts.config;
    const doc = trustPolicyOf(facts);
    if (!doc) return fail(roleResource(cfg), "the role does not exist, so nothing trusts Cloudsmith");
    const statements = assumeStatements(doc);
    if (statements.length === 0) return fail(roleResource(cfg), "no Allow statement lets Cloudsmith assume the role");
    const problems: string[] = [];
    for (const [i, s] of statements.entries()) {
      const name = describeStatement(s, i);
      if (s.NotPrincipal !== undefined) {
        problems.push(`${name} uses NotPrincipal`);
        continue;
      }
      const p = s.Principal;
      if (p === undefined) {
        problems.push(`${name} has no principal`);
        continue;
      }
      if (p === "*") {
        problems.push(`${name} trusts everyone (Principal "*")`);
        continue;
      }
      const others = Object.entries(p).flatMap(([kind, v]) =>
        asArray(v)
          .filter((x) => kind !== "AWS" || !isCloudsmithPrincipal(cfg, x))
          .map((x) => `${kind}:${x}`),
      );
      if (others.length > 0) problems.push(`${name} also trusts ${others.join(", ")}`);
      if (asArray(p.AWS).filter((x) => isCloudsmithPrincipal(cfg, x)).length === 0)
        problems.push(`${name} does not name Cloudsmith's account`);
    }
    return problems.length > 0
      ? fail(roleResource(cfg), problems.join("; "))
      : pass(roleResource(cfg), `only ${cloudsmithPrincipalArn(cfg)} may assume the role`);
  },
};
