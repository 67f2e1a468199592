import { roleArn } from "../../../../config/derived.js";
import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { unconditionalAllows } from "../../../../iam/policy-eval.js";
import type { ConfigRule } from "../../facts.js";
import { rolePolicyDocuments, roleResource } from "../helpers.js";

export const permissionsKms: ConfigRule = {
  id: "permissions.kms",
  title: "With SSE-KMS, the role may use the bucket key",
  severity: "critical",
  rationale:
    "Cloudsmith's documented policy has no KMS permission: on an SSE-KMS bucket every write fails unless the role may call kms:GenerateDataKey and the key allows it.",
  remediation: {
    terraform: "Keep the generated kms:GenerateDataKey statement and aws_kms_grant.kms_writer_grant.",
    console:
      "Allow kms:GenerateDataKey on the key in the role's policy, and add the role to the key policy or create a grant for it.",
  },
  docs: "Only with `encryption.type` SSE-KMS: the role's policies allow kms:GenerateDataKey on the key, and either a KMS grant gives the role GenerateDataKey or the key policy allows the role (or delegates to the account's IAM policies).",
  notApplicable: (cfg) =>
    cfg.encryption.type === "SSE-KMS" ? undefined : "the bucket uses SSE-S3: no KMS permission is needed",
  evaluate(facts) {
    const cfg = facts.config;
    if (cfg.encryption.type !== "SSE-KMS") return pass(roleResource(cfg), "not applicable");
    const key = cfg.encryption.kmsKeyArn;
    const ctx = {
      action: "kms:GenerateDataKey",
      resource: key,
      principalArn: roleArn(cfg),
      principalAccount: cfg.accountId,
    };
    const problems: string[] = [];
    if (!read(facts.role, "the role")) return fail(roleResource(cfg), "the role does not exist");
    if (
      unconditionalAllows(
        rolePolicyDocuments(facts).map((p) => p.doc),
        ctx,
      ).length === 0
    )
      problems.push("the role's policies do not allow kms:GenerateDataKey on the key");
    const grants = read(facts.kmsGrants, "the key's grants") ?? [];
    const granted = grants.some((g) => g.granteePrincipal === roleArn(cfg) && g.operations.includes("GenerateDataKey"));
    if (!granted) {
      const keyPolicy = read(facts.kmsKeyPolicy, "the key policy");
      if (!keyPolicy || unconditionalAllows([keyPolicy], ctx).length === 0)
        problems.push("neither a grant nor the key policy lets the role use the key");
    }
    return problems.length > 0
      ? fail(`kms/${key}`, problems.join("; "))
      : pass(`kms/${key}`, "the role may generate data keys with the bucket key");
  },
};
