import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { OTHER_TRUST_ACTIONS, otherTrustActionProbes } from "../../requests.js";
import {
  externalIdOrPlaceholder,
  mustBeRefused,
  refusalProblems,
  roleResource,
  trustPolicyNamed,
  trustPolicyOf,
} from "../helpers.js";

export const trustActions: DeploymentRule = {
  id: "trust.actions",
  title: "The trust policy allows Cloudsmith only sts:AssumeRole",
  severity: "high",
  rationale:
    "Wildcards such as sts:* or * also allow session tagging, source identity and the web-identity and SAML paths that Cloudsmith never uses; session tags can change what the role's policies allow.",
  remediation: {
    terraform: 'Use the generated trust policy: Action "sts:AssumeRole" only.',
    console: 'IAM > Roles > (role) > Trust relationships: set "Action": "sts:AssumeRole".',
  },
  docs: `Evaluates Cloudsmith's account, with the External ID, asking for ${OTHER_TRUST_ACTIONS.join(", ")} against the whole trust policy: each must be refused.`,
  evaluate(facts) {
    const cfg = facts.config;
    const externalId = externalIdOrPlaceholder(cfg);
    const doc = trustPolicyOf(facts, externalId);
    if (!doc) return fail(roleResource(cfg), "the role does not exist");
    const problem = refusalProblems(
      mustBeRefused(otherTrustActionProbes(cfg, externalId), {
        resource: trustPolicyNamed(cfg, doc),
      }),
      "be called by Cloudsmith",
    );
    return problem ? fail(roleResource(cfg), problem) : pass(roleResource(cfg), "only sts:AssumeRole is allowed");
  },
};
