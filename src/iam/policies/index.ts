/** Expected documents for a config: what the stacks deploy and the verifier compares against. */

import {
  bucketArn,
  cloudsmithPrincipalArn,
  exportTargets,
  keyPrefix,
  trailArn,
  trailBucketName,
  trailHasOwnBucket,
} from "../../config/derived.js";
import type { Config } from "../../config/schema.js";
import { bucketPolicy, cloudTrailStatements, tlsOnlyStatement } from "./bucket-policy.js";
import { trustPolicy } from "./trust-policy.js";
import type { PolicyDocument } from "./types.js";
import { writerPolicy } from "./writer-policy.js";

export * from "./bucket-policy.js";
export * from "./trust-policy.js";
export * from "./types.js";
export * from "./writer-policy.js";

/** `externalId` overrides the config's (the stacks pass a Terraform variable reference when it is absent). */
export function expectedTrustPolicy(cfg: Config, externalId = cfg.externalId): PolicyDocument {
  if (externalId === undefined) throw new Error("no External ID: pass the Terraform variable reference");
  return trustPolicy({ principalArn: cloudsmithPrincipalArn(cfg), externalId });
}

export function expectedWriterPolicy(cfg: Config): PolicyDocument {
  return writerPolicy({
    objectArns: exportTargets(cfg).map((t) => t.objectArn),
    kmsKeyArn: cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined,
  });
}

/** Policy of the bucket that receives CloudTrail files (the export bucket unless it is existing). */
export function expectedTrailBucketPolicy(cfg: Config): PolicyDocument {
  const bucket = bucketArn(cfg, trailBucketName(cfg));
  return bucketPolicy([
    tlsOnlyStatement(bucket),
    ...cloudTrailStatements({
      bucketArn: bucket,
      keyPrefix: keyPrefix(cfg.cloudtrail.prefix),
      accountId: cfg.accountId,
      trailArn: trailArn(cfg),
    }),
  ]);
}

/** Policy of a managed (new) export bucket: TLS-only, plus CloudTrail's grants when the trail delivers here. */
export function expectedExportBucketPolicy(cfg: Config): PolicyDocument {
  if (cfg.cloudtrail.mode === "create" && !trailHasOwnBucket(cfg)) return expectedTrailBucketPolicy(cfg);
  return bucketPolicy([tlsOnlyStatement(bucketArn(cfg))]);
}
