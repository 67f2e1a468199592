import { bucketArn, roleArn } from "../../../../config/derived.js";
import { read, Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { evaluateRequest } from "../../../../iam/eval/evaluate.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import type { DeploymentRule } from "../../facts.js";
import { roleDataKey } from "../../requests.js";
import { describeDecision, probeObjects, rolePolicySet, roleResource, roleTagsOf } from "../helpers.js";

export const permissionsKms: DeploymentRule = {
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
  docs: "Only with `encryption.type` SSE-KMS: evaluates kms:GenerateDataKey by the role's session, via S3 in the bucket's region with the encryption context S3 sends (the object's ARN, or the bucket's ARN when the bucket uses an S3 Bucket Key), for an object under each prefix. A KMS grant to the role for GenerateDataKey is enough unless a Deny applies; otherwise the key policy must allow it, naming the role or delegating to the account, and then the role's policies (within its boundary) must allow it too.",
  notApplicable: (cfg) =>
    cfg.encryption.type === "SSE-KMS" ? undefined : "the bucket uses SSE-S3: no KMS permission is needed",
  evaluate(facts) {
    const cfg = facts.config;
    if (cfg.encryption.type !== "SSE-KMS") return pass(roleResource(cfg), "not applicable");
    const key = cfg.encryption.kmsKeyArn;
    const resource = `kms/${key}`;
    if (!read(facts.role, "the role")) return fail(roleResource(cfg), "the role does not exist");
    const grants = read(facts.kmsGrants, "the key's grants") ?? [];
    const granted = grants.some((g) => g.granteePrincipal === roleArn(cfg) && g.operations.includes("GenerateDataKey"));
    // With a grant, the key policy need not allow, so an unreadable one matters only when it might deny.
    const keyPolicy = granted ? undefined : read(facts.kmsKeyPolicy, "the key policy");
    const policies = {
      ...rolePolicySet(facts),
      ...(keyPolicy ? { resource: { name: `the key policy of ${key}`, document: keyPolicy } } : {}),
      resourceMustAllow: true,
    };
    // With an S3 Bucket Key, S3 asks KMS with the bucket's ARN as encryption context, not the
    // object's: a key policy scoped to object ARNs refuses every write, one scoped to the bucket's
    // lets them through. What S3 sends follows the bucket's setting, so it must be known.
    const bucketKey =
      read(facts.exportBucket.encryption, "the bucket's default encryption (whether it uses an S3 Bucket Key)")
        ?.bucketKeyEnabled === true;
    const contextArn = (objectArn: string) => (bucketKey ? bucketArn(cfg) : objectArn);
    const problems: string[] = [];
    let open: string | undefined;
    for (const probe of probeObjects(cfg)) {
      const d = evaluateRequest(roleDataKey(cfg, key, contextArn(probe.arn), roleTagsOf(facts)), policies);
      const at = `kms:GenerateDataKey for objects under ${probe.prefix || "the bucket root"}${bucketKey ? " (S3 Bucket Key: encryption context aws:s3:arn = the bucket's ARN)" : ""}`;
      if (d.deniedBy.length > 0) problems.push(`${at} is ${describeDecision(d)}`);
      else if (granted) continue;
      else if (!keyPolicy) problems.push(`${at}: the key has no readable policy and no grant for the role`);
      else if (d.allowed === false) {
        const identity = evaluateRequest(
          roleDataKey(cfg, key, contextArn(probe.arn), roleTagsOf(facts)),
          rolePolicySet(facts),
        ).allowed;
        problems.push(
          identity === false
            ? `${at} is not allowed by the role's policies`
            : `${at}: neither a grant nor the key policy lets the role use the key`,
        );
      } else if (isUndecided(d.allowed)) open ??= `${at}: ${describeDecision(d)}`;
    }
    if (problems.length > 0) return fail(resource, problems.join("; "));
    if (open) throw new Undecidable("ERROR", `cannot tell whether the role may use the key: ${open}`);
    return pass(
      resource,
      `the role may generate data keys with the bucket key${granted ? " (through a grant)" : ""}${bucketKey ? ", with the S3 Bucket Key's encryption context (the bucket's ARN)" : ""}`,
    );
  },
};
