import { Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { evaluateRequest } from "../../../../iam/eval/evaluate.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import type { ConfigRule } from "../../facts.js";
import { outsiderAssumeRoles } from "../../requests.js";
import { describeDecision, roleResource, trustPolicyNamed, trustPolicyOf } from "../helpers.js";

export const trustNoOneElse: ConfigRule = {
  id: "trust.no-one-else",
  title: "Nobody but Cloudsmith, with the External ID, can assume the role",
  severity: "critical",
  rationale:
    "The confused-deputy proof: without the External ID, with another customer's External ID, from any other account, or anonymously, assuming the role must be refused, or someone else can write into your log bucket.",
  remediation: {
    terraform:
      "Keep the generated trust policy: Cloudsmith's account only, StringEquals sts:ExternalId, no other Allow.",
    console: "IAM > Roles > (role) > Trust relationships: remove the statement the message names.",
  },
  docs: "Evaluates sts:AssumeRole against the whole trust policy for Cloudsmith's account without an External ID and with another one, for another account (111122223333) and every other principal the policy names, each with the right External ID, and anonymously: each must be denied.",
  evaluate(facts) {
    const cfg = facts.config;
    const doc = trustPolicyOf(facts);
    if (!doc) return fail(roleResource(cfg), "the role does not exist");
    const policy = trustPolicyNamed(cfg, doc);
    const verdicts = outsiderAssumeRoles(cfg, cfg.externalId ?? "cs-ext-not-yet-issued", doc).map(
      ({ who, request }) => ({
        who,
        d: evaluateRequest(request, { resource: policy }),
      }),
    );
    const admitted = verdicts.filter((v) => v.d.allowed === true);
    if (admitted.length > 0) {
      return fail(
        roleResource(cfg),
        admitted
          .map((v) => `${v.who} can assume the role (${v.d.allowedBy.map((r) => r.statement).join(", ")})`)
          .join("; "),
      );
    }
    const open = verdicts.find((v) => isUndecided(v.d.allowed));
    if (open)
      throw new Undecidable(
        "ERROR",
        `cannot tell whether ${open.who} can assume the role: ${describeDecision(open.d)}`,
      );
    return pass(
      roleResource(cfg),
      "refused without the External ID, with another one, from other accounts and anonymously",
    );
  },
};
