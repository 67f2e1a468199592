/** Facts of a correct deployment, built from the policy functions: each rule test mutates one thing. */

import type { BucketFacts } from "../../src/checks/config/facts.js";
import type { Facts } from "../../src/checks/index.js";
import { bucketArn, roleArn, trailArn, trailBucketName } from "../../src/config/derived.js";
import type { ConfigInput } from "../../src/config/schema.js";
import { present, skip } from "../../src/engine/fact.js";
import {
  expectedExportBucketPolicy,
  expectedTrailBucketPolicy,
  expectedTrustPolicy,
  expectedWriterPolicy,
} from "../../src/iam/policies/index.js";
import { base, configOf } from "./configs.js";

function bucket(name: string, policy: Facts["exportBucket"]["policy"], kmsKey?: string): BucketFacts {
  return {
    name,
    exists: present({ region: "us-east-1" }),
    publicAccessBlock: present({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    }),
    ownership: present("BucketOwnerEnforced"),
    policy,
    requestPayer: present("BucketOwner"),
    encryption: present(kmsKey ? { algorithm: "aws:kms", kmsKeyId: kmsKey } : { algorithm: "AES256" }),
  };
}

export function healthyFacts(input: ConfigInput = base): Facts {
  const cfg = configOf(input);
  const kmsKey = cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined;
  const exportBucket = bucket(cfg.bucket.name, present(expectedExportBucketPolicy(cfg)), kmsKey);
  const trailBucket =
    trailBucketName(cfg) === cfg.bucket.name
      ? exportBucket
      : bucket(trailBucketName(cfg), present(expectedTrailBucketPolicy(cfg)));
  return {
    source: "aws",
    config: cfg,
    identity: present({ account: cfg.accountId, arn: `arn:aws:sts::${cfg.accountId}:assumed-role/ci/session` }),
    role: present({
      name: cfg.roleName,
      path: "/",
      arn: roleArn(cfg),
      trustPolicy: present(expectedTrustPolicy(cfg, cfg.externalId ?? "issued-later")),
    }),
    rolePolicies: present([
      { name: "cloudsmith-log-export-write", kind: "inline", document: present(expectedWriterPolicy(cfg)) },
    ]),
    permissionsBoundary: present(null),
    exportBucket,
    trailBucket,
    trail: present({
      name: cfg.cloudtrail.name,
      arn: trailArn(cfg),
      homeRegion: cfg.region,
      s3BucketName: trailBucketName(cfg),
      s3KeyPrefix: cfg.cloudtrail.prefix,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      logFileValidationEnabled: true,
      kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/trail",
      cloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:trail",
    }),
    trailStatus: present({ isLogging: true }),
    trailDeliveryError: present(null),
    eventSelectors: present({
      basic: [],
      advanced: [
        { name: "mgmt", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
        {
          name: "data",
          fieldSelectors: [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWith: [`${bucketArn(cfg)}/client-logs/`, `${bucketArn(cfg)}/audit-logs/`] },
          ],
        },
      ],
    }),
    kmsKeyPolicy: kmsKey
      ? present({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${cfg.accountId}:root` },
              Action: "kms:*",
              Resource: "*",
            },
          ],
        })
      : skip("SSE-S3"),
    kmsGrants: kmsKey ? present([]) : skip("SSE-S3"),
    analyzerFindings: present([]),
    analyzerNoNewAccess: present({ result: "PASS" }),
  };
}

/** The value of a present fact, for tests that edit it in place. */
export function presentValue<T>(fact: { state: string; value?: T }): T {
  if (fact.state !== "present") throw new Error(`fact is ${fact.state}`);
  return fact.value as T;
}
