import { exportTargets } from "../../../../config/derived.js";
import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { expandAction } from "../../../../iam/action-catalog.js";
import { asArray } from "../../../../iam/policies/types.js";
import { WRITER_ACTIONS } from "../../../../iam/policies/writer-policy.js";
import { describeStatement, statementsOf, wildcardMatch } from "../../../../iam/policy-eval.js";
import type { ConfigRule } from "../../facts.js";
import { rolePolicyDocuments, roleResource } from "../helpers.js";

export const permissionsLeastPrivilege: ConfigRule = {
  id: "permissions.least-privilege",
  title: "The role's policies allow nothing beyond the export writes",
  severity: "high",
  rationale:
    'The role is assumed by a third party. Extra actions (s3:*, s3:Put*, Get/List/Delete), other buckets or prefixes, or Resource "*" turn an export role into access to your data.',
  remediation: {
    terraform:
      "Attach only the generated inline policy; remove other inline policies and managed policies (e.g. AmazonS3FullAccess) from the role.",
    console:
      "IAM > Roles > (role) > Permissions: remove every policy except the writer policy for <bucket>/<prefix>/*.",
  },
  docs: "Every Allow in the role's inline and attached policies, with wildcards expanded from AWS's action list, grants only s3:PutObject and s3:PutObjectAcl (plus kms:GenerateDataKey on the configured key with SSE-KMS), only on `bucket/prefix/*` of the configured prefixes (or narrower). NotAction, NotResource and `*` resources fail.",
  evaluate(facts) {
    const cfg = facts.config;
    if (!read(facts.role, "the role")) return fail(roleResource(cfg), "the role does not exist");
    const kmsKey = cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined;
    const allowedActions = new Set<string>(
      [...WRITER_ACTIONS, ...(kmsKey ? ["kms:GenerateDataKey"] : [])].map((a) => a.toLowerCase()),
    );
    const allowedResources = [...exportTargets(cfg).map((t) => t.objectArn), ...(kmsKey ? [kmsKey] : [])];
    const problems: string[] = [];
    for (const { name, doc } of rolePolicyDocuments(facts)) {
      statementsOf([doc]).forEach((s, i) => {
        if (s.Effect !== "Allow") return;
        const where = `${name} ${describeStatement(s, i)}`;
        if (s.NotAction !== undefined) problems.push(`${where} uses NotAction (allows everything else)`);
        const granted = asArray(s.Action).flatMap(expandAction);
        const extra = [...new Set(granted.filter((a) => !allowedActions.has(a.toLowerCase())))];
        if (extra.length > 0)
          problems.push(
            `${where} allows ${extra.length > 4 ? `${extra.slice(0, 4).join(", ")} and ${extra.length - 4} more` : extra.join(", ")}`,
          );
        if (s.NotResource !== undefined) problems.push(`${where} uses NotResource`);
        for (const r of asArray(s.Resource)) {
          if (r === "*") problems.push(`${where} applies to Resource "*"`);
          else if (!allowedResources.some((p) => wildcardMatch(p, r)))
            problems.push(`${where} applies to ${r}, outside the export prefixes`);
        }
      });
    }
    return problems.length > 0
      ? fail(roleResource(cfg), problems.join("; "))
      : pass(roleResource(cfg), "only the export writes are allowed");
  },
};
