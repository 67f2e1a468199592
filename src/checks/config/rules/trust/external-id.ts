import { Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { describeStatement } from "../../../../iam/policy-eval.js";
import type { ConfigRule } from "../../facts.js";
import { assumeStatements, roleResource, trustPolicyOf, values } from "../helpers.js";

export const trustExternalId: ConfigRule = {
  id: "trust.external-id",
  title: "Every trust statement requires the External ID with StringEquals",
  severity: "critical",
  rationale:
    "Without an exact sts:ExternalId condition, any Cloudsmith customer could make Cloudsmith write into your bucket (the confused-deputy problem). StringLike, ForAnyValue and ...IfExists all weaken the check.",
  remediation: {
    terraform:
      'Use the generated trust policy: Condition {"StringEquals": {"sts:ExternalId": "<the ID Cloudsmith issued>"}} (variable cloudsmith_external_id).',
    console:
      "IAM > Roles > (role) > Trust relationships: add the condition StringEquals sts:ExternalId = the ID Cloudsmith issued, on every statement.",
  },
  docs: "Every Allow statement for sts:AssumeRole must carry `StringEquals` `sts:ExternalId` equal to `externalId` (one value), and no other operator on that key.",
  evaluate(facts) {
    const cfg = facts.config;
    const doc = trustPolicyOf(facts);
    if (!doc) return fail(roleResource(cfg), "the role does not exist");
    const expected = cfg.externalId;
    const problems: string[] = [];
    for (const [i, s] of assumeStatements(doc).entries()) {
      const name = describeStatement(s, i);
      const ops = Object.entries(s.Condition ?? {}).filter(([, byKey]) =>
        Object.keys(byKey).some((k) => k.toLowerCase() === "sts:externalid"),
      );
      if (ops.length === 0) {
        problems.push(`${name} has no sts:ExternalId condition`);
        continue;
      }
      for (const [op, byKey] of ops) {
        if (op !== "StringEquals") problems.push(`${name} checks sts:ExternalId with ${op}, not StringEquals`);
        else {
          const got = values(Object.entries(byKey).find(([k]) => k.toLowerCase() === "sts:externalid")![1]);
          const variable = got.find((v) => /^\$\{var\.[A-Za-z0-9_]+\}$/.test(v));
          if (variable)
            throw new Undecidable(
              "ERROR",
              `the External ID comes from ${variable.slice(2, -1)}, set at plan time: verify a plan (terraform show -json) or the deployment`,
            );
          if (expected === undefined)
            throw new Undecidable(
              "ERROR",
              "externalId is not in the config, so the deployed value cannot be compared (add it, e.g. with `init`)",
            );
          if (got.length !== 1 || got[0] !== expected)
            problems.push(
              `${name} expects ${got.length > 1 ? `any of ${got.length} values` : "a different External ID"} than the configured one`,
            );
        }
      }
    }
    return problems.length > 0
      ? fail(roleResource(cfg), problems.join("; "))
      : pass(roleResource(cfg), "every trust statement requires the configured External ID (StringEquals)");
  },
};
