import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { otherPrincipalProbes } from "../../requests.js";
import {
  externalIdOrPlaceholder,
  mustBeRefused,
  refusalProblems,
  roleResource,
  trustPolicyNamed,
  trustPolicyOf,
} from "../helpers.js";

export const trustPrincipal: DeploymentRule = {
  id: "trust.principal",
  title: "Only Cloudsmith's account may assume the role",
  severity: "critical",
  rationale:
    "Any other principal the trust policy admits (everyone, a second account, a service, an identity provider) can write into your audit bucket as Cloudsmith.",
  remediation: {
    terraform: 'Use the generated trust policy: one statement, Principal {"AWS": "arn:aws:iam::884446598447:root"}.',
    console:
      "IAM > Roles > (role) > Trust relationships: remove the statement or principal the message names; keep arn:aws:iam::884446598447:root only.",
  },
  replaces: ["trust.no-one-else"],
  docs: "Evaluates, against the whole trust policy (Deny statements and conditions included), assuming the role as someone other than Cloudsmith's account, each with the right External ID: another account (111122223333), an anonymous caller, and every other principal the policy names (accounts, roles, services, identity providers through web identity or SAML). Each must be refused. A named principal whose grant hangs on its own claims (a GitHub OIDC `sub`) counts as admitted; any other open condition is ERROR.",
  evaluate(facts) {
    const cfg = facts.config;
    const externalId = externalIdOrPlaceholder(cfg);
    const doc = trustPolicyOf(facts, externalId);
    if (!doc) return fail(roleResource(cfg), "the role does not exist, so nothing trusts Cloudsmith");
    const probes = otherPrincipalProbes(cfg, externalId, doc);
    const problem = refusalProblems(mustBeRefused(probes, { resource: trustPolicyNamed(cfg, doc) }), "assume the role");
    return problem
      ? fail(roleResource(cfg), problem)
      : pass(roleResource(cfg), `refused to ${probes.map((p) => p.who).join(", ")}`);
  },
};
