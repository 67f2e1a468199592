import { Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { evaluateRequest } from "../../../../iam/eval/evaluate.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import type { DeploymentRule } from "../../facts.js";
import { cloudsmithAssumeRole } from "../../requests.js";
import {
  describeDecision,
  requireExternalId,
  roleResource,
  trustPolicyNamed,
  trustPolicyOf,
  where,
} from "../helpers.js";

export const trustCloudsmithCanAssume: DeploymentRule = {
  id: "trust.cloudsmith-can-assume",
  title: "Cloudsmith's request to assume the role is allowed",
  severity: "critical",
  rationale:
    "A trust policy can look right and still refuse Cloudsmith: a Deny statement, or a condition Cloudsmith's request cannot meet (organization membership, MFA, a source IP range). Every export then fails.",
  remediation: {
    terraform:
      "Keep the generated trust policy; an organization-wide Deny must exempt Cloudsmith's account 884446598447.",
    console: "IAM > Roles > (role) > Trust relationships: remove the Deny or condition that the message names.",
  },
  replaces: ["trust.no-mfa"],
  docs: "Evaluates sts:AssumeRole from account 884446598447 with the configured External ID over TLS against the whole trust policy, Deny statements and every condition included. Keys Cloudsmith cannot carry (aws:PrincipalOrgID, MFA) are absent; keys whose value cannot be known (its source IP) make the answer ERROR.",
  evaluate(facts) {
    const cfg = facts.config;
    const doc = trustPolicyOf(facts);
    if (!doc) return fail(roleResource(cfg), "the role does not exist");
    const externalId = requireExternalId(cfg);
    const d = evaluateRequest(cloudsmithAssumeRole(cfg, externalId), { resource: trustPolicyNamed(cfg, doc) });
    if (isUndecided(d.allowed))
      throw new Undecidable("ERROR", `cannot tell whether Cloudsmith can assume the role: ${describeDecision(d)}`);
    return d.allowed
      ? pass(
          roleResource(cfg),
          `sts:AssumeRole from 884446598447 with the External ID is allowed by ${d.allowedBy.map(where).join("; ")}`,
        )
      : fail(
          roleResource(cfg),
          `Cloudsmith's sts:AssumeRole (account 884446598447, the configured External ID, TLS) is refused: ${describeDecision(d)}`,
        );
  },
};
