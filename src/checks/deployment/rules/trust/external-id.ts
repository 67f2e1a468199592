import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { externalIdProbes } from "../../requests.js";
import {
  mustBeRefused,
  refusalProblems,
  requireExternalId,
  roleResource,
  trustPolicyNamed,
  trustPolicyOf,
} from "../helpers.js";

export const trustExternalId: DeploymentRule = {
  id: "trust.external-id",
  title: "Cloudsmith's account is refused without the configured External ID",
  severity: "critical",
  rationale:
    "Without an exact sts:ExternalId condition, any Cloudsmith customer could make Cloudsmith write into your bucket (the confused-deputy problem). A missing condition, a wildcard, ForAnyValue or ...IfExists all let such requests through.",
  remediation: {
    terraform:
      'Use the generated trust policy: Condition {"StringEquals": {"sts:ExternalId": "<the ID Cloudsmith issued>"}} (variable cloudsmith_external_id).',
    console:
      "IAM > Roles > (role) > Trust relationships: add the condition StringEquals sts:ExternalId = the ID Cloudsmith issued, on every statement that trusts Cloudsmith.",
  },
  docs: "Evaluates Cloudsmith's sts:AssumeRole against the whole trust policy without an External ID, with another customer's External ID, and with every other External ID the policy names: each must be refused. Needs `externalId` in the config (ERROR without it).",
  evaluate(facts) {
    const cfg = facts.config;
    const doc = trustPolicyOf(facts);
    if (!doc) return fail(roleResource(cfg), "the role does not exist");
    const externalId = requireExternalId(cfg);
    const problem = refusalProblems(
      mustBeRefused(externalIdProbes(cfg, externalId, doc), { resource: trustPolicyNamed(cfg, doc) }),
      "assume the role",
    );
    return problem
      ? fail(roleResource(cfg), problem)
      : pass(roleResource(cfg), "refused without the External ID and with another customer's");
  },
};
