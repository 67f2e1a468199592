import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { bucketResource } from "../helpers.js";

const keyIdOf = (arnOrId: string): string => arnOrId.replace(/^arn:[^:]+:kms:[^:]+:\d+:key\//, "");

export const bucketEncryption: DeploymentRule = {
  id: "bucket.encryption",
  title: "Default encryption matches the config",
  severity: "high",
  rationale:
    "SSE-KMS with a key the role cannot use makes Cloudsmith's writes fail; a different key than configured means the KMS checks look at the wrong key.",
  remediation: {
    terraform:
      "aws_s3_bucket_server_side_encryption_configuration as generated (AES256, or aws:kms with the configured key).",
    console: "S3 > (bucket) > Properties > Default encryption: SSE-S3, or SSE-KMS with the configured key.",
  },
  docs: "GetBucketEncryption: AES256 for `encryption.type` SSE-S3; aws:kms with the configured key for SSE-KMS.",
  evaluate(facts) {
    const b = facts.exportBucket;
    const cfg = facts.config;
    const enc = read(b.encryption, "the default encryption");
    if (!enc) return fail(bucketResource(b), "no default encryption configuration");
    if (cfg.encryption.type === "SSE-S3") {
      return enc.algorithm === "AES256"
        ? pass(bucketResource(b), "SSE-S3 (AES256)")
        : fail(
            bucketResource(b),
            `encrypted with ${enc.algorithm}${enc.kmsKeyId ? ` (${enc.kmsKeyId})` : ""}, but the config says SSE-S3, so the role has no KMS permission`,
          );
    }
    if (!enc.algorithm.startsWith("aws:kms"))
      return fail(bucketResource(b), `encrypted with ${enc.algorithm}, the config says SSE-KMS`);
    return enc.kmsKeyId !== undefined && keyIdOf(enc.kmsKeyId) === keyIdOf(cfg.encryption.kmsKeyArn)
      ? pass(bucketResource(b), "SSE-KMS with the configured key")
      : fail(bucketResource(b), `SSE-KMS with ${enc.kmsKeyId ?? "the AWS managed key"}, not the configured key`);
  },
};
