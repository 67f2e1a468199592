/** Rule tables for the export and trail buckets: facts each rule must pass, and facts it must not. */
import { absent, failed, present } from "../../../../src/engine/fact.js";
import { base } from "../../../helpers/configs.js";
import { bucketPolicy, healthyFacts, kmsFacts } from "../../../helpers/facts.js";
import type { AreaTables } from "../../../helpers/rule-table.js";

export const TABLES: AreaTables = {
  "bucket.exists": {
    valid: [{ name: "exists" }],
    invalid: [
      { name: "missing", mutate: (f) => (f.exportBucket.exists = absent("NotFound")), expect: "FAIL" },
      {
        name: "other region",
        mutate: (f) => (f.exportBucket.exists = present({ region: "eu-west-1" })),
        expect: "FAIL",
      },
      {
        name: "403 (other owner or denied)",
        mutate: (f) => (f.exportBucket.exists = failed("HTTP 403")),
        expect: "ERROR",
      },
    ],
  },
  "bucket.public-access-block": {
    valid: [{ name: "all on" }],
    invalid: [
      {
        name: "one off",
        mutate: (f) =>
          (f.exportBucket.publicAccessBlock = present({
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: false,
            RestrictPublicBuckets: true,
          })),
        expect: "FAIL",
      },
      {
        name: "none configured",
        mutate: (f) => (f.exportBucket.publicAccessBlock = absent("NoSuchPublicAccessBlockConfiguration")),
        expect: "FAIL",
      },
      {
        name: "AccessDenied",
        mutate: (f) => (f.exportBucket.publicAccessBlock = failed("AccessDenied")),
        expect: "ERROR",
      },
    ],
  },
  "bucket.object-ownership": {
    valid: [{ name: "enforced" }],
    invalid: [
      {
        name: "preferred",
        mutate: (f) => (f.exportBucket.ownership = present("BucketOwnerPreferred")),
        expect: "FAIL",
      },
      {
        name: "none",
        mutate: (f) => (f.exportBucket.ownership = absent("OwnershipControlsNotFoundError")),
        expect: "FAIL",
      },
      { name: "unreadable", mutate: (f) => (f.exportBucket.ownership = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "bucket.tls-only": {
    valid: [{ name: "deny statement" }],
    invalid: [
      {
        name: "removed",
        mutate: (f) =>
          (bucketPolicy(f).Statement = bucketPolicy(f).Statement.filter((s) => s.Sid !== "DenyInsecureTransport")),
        expect: "FAIL",
      },
      {
        name: "objects only",
        mutate: (f) => (bucketPolicy(f).Statement[0]!.Resource = "arn:aws:s3:::cloudsmith-acme-logs/*"),
        expect: "FAIL",
      },
      { name: "no policy", mutate: (f) => (f.exportBucket.policy = absent("NoSuchBucketPolicy")), expect: "FAIL" },
      { name: "unreadable", mutate: (f) => (f.exportBucket.policy = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "bucket.requester-pays": {
    valid: [{ name: "owner pays" }],
    invalid: [
      { name: "requester pays", mutate: (f) => (f.exportBucket.requestPayer = present("Requester")), expect: "FAIL" },
      { name: "unreadable", mutate: (f) => (f.exportBucket.requestPayer = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "bucket.no-deny-writer": {
    valid: [
      { name: "no deny but TLS" },
      { name: "no policy", mutate: (f) => (f.exportBucket.policy = absent("NoSuchBucketPolicy")) },
      {
        name: "deny for another principal",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Effect: "Deny",
            Principal: { AWS: "arn:aws:iam::123456789012:role/Other" },
            Action: "s3:*",
            Resource: "*",
          }),
      },
    ],
    invalid: [
      {
        name: "deny all puts",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Effect: "Deny",
            Principal: "*",
            Action: "s3:Put*",
            Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
          }),
        expect: "FAIL",
      },
      {
        name: "deny unless org (conditional)",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
            Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-123" } },
          }),
        expect: "FAIL",
      },
      {
        name: "deny naming the account root in another partition",
        facts: () => healthyFacts({ ...base, region: "cn-north-1" }),
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Effect: "Deny",
            Principal: { AWS: "arn:aws-cn:iam::123456789012:root" },
            Action: "s3:PutObject",
            Resource: "*",
          }),
        expect: "FAIL",
      },
      { name: "unreadable", mutate: (f) => (f.exportBucket.policy = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "bucket.encryption": {
    valid: [{ name: "SSE-S3" }, { name: "SSE-KMS with the key", facts: kmsFacts }],
    invalid: [
      {
        name: "KMS when SSE-S3 configured",
        mutate: (f) => (f.exportBucket.encryption = present({ algorithm: "aws:kms", kmsKeyId: "k" })),
        expect: "FAIL",
      },
      {
        name: "SSE-KMS with another key",
        facts: kmsFacts,
        mutate: (f) => (f.exportBucket.encryption = present({ algorithm: "aws:kms", kmsKeyId: "other" })),
        expect: "FAIL",
      },
      { name: "unreadable", mutate: (f) => (f.exportBucket.encryption = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
};
