/** Rule tables for the export and trail buckets: facts each rule must pass, and facts it must not. */

import type { Facts } from "../../../../src/checks/index.js";
import { absent, failed, present } from "../../../../src/engine/fact.js";
import type { Statement } from "../../../../src/iam/policies/types.js";
import { bucketPolicy, kmsFacts } from "../../../helpers/facts.js";
import type { AreaTables } from "../../../helpers/rule-table.js";

/** Adds a bucket-wide Deny for everyone with this condition (the shape of data-perimeter and encryption Denies). */
const addDeny = (Condition: Statement["Condition"]) => (f: Facts) => {
  bucketPolicy(f).Statement.push({
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::cloudsmith-acme-logs", "arn:aws:s3:::cloudsmith-acme-logs/*"],
    Condition,
  });
};

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
    valid: [
      { name: "deny statement" },
      {
        name: "written differently: Action *, Principal {AWS: *}, NumericLessThan s3:TlsVersion beside it",
        mutate: (f) => {
          const s = bucketPolicy(f).Statement.find((x) => x.Sid === "DenyInsecureTransport")!;
          s.Action = "*";
          s.Principal = { AWS: "*" };
          bucketPolicy(f).Statement.push({
            Sid: "DenyOldTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::cloudsmith-acme-logs", "arn:aws:s3:::cloudsmith-acme-logs/*"],
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
          });
        },
      },
    ],
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
      {
        name: "exempts its own account (only outsiders must use TLS)",
        mutate: (f) =>
          (bucketPolicy(f).Statement.find((x) => x.Sid === "DenyInsecureTransport")!.Condition = {
            Bool: { "aws:SecureTransport": "false" },
            StringNotEquals: { "aws:PrincipalAccount": "123456789012" },
          }),
        expect: "FAIL",
      },
      {
        name: "only for callers from one network: undecided",
        mutate: (f) =>
          (bucketPolicy(f).Statement.find((x) => x.Sid === "DenyInsecureTransport")!.Condition = {
            Bool: { "aws:SecureTransport": "false" },
            IpAddress: { "aws:SourceIp": "203.0.113.0/24" },
          }),
        expect: "ERROR",
      },
      { name: "no policy", mutate: (f) => (f.exportBucket.policy = absent("NoSuchBucketPolicy")), expect: "FAIL" },
      { name: "unreadable", mutate: (f) => (f.exportBucket.policy = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "bucket.private": {
    valid: [
      { name: "the generated policy: TLS Deny and CloudTrail scoped to this trail" },
      { name: "no policy", mutate: (f) => (f.exportBucket.policy = absent("NoSuchBucketPolicy")) },
      {
        name: "reads for the whole organization (an outsider is not in it)",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Sid: "OrgRead",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
            Condition: { StringEquals: { "aws:PrincipalOrgID": "o-acme" } },
          }),
      },
      {
        name: "a grant to a role of the account itself",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::123456789012:role/SecurityAudit" },
            Action: ["s3:GetObject", "s3:ListBucket"],
            Resource: ["arn:aws:s3:::cloudsmith-acme-logs", "arn:aws:s3:::cloudsmith-acme-logs/*"],
          }),
      },
    ],
    invalid: [
      {
        name: "public read",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Sid: "PublicRead",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
          }),
        expect: "FAIL",
      },
      {
        name: "a SIEM vendor's account may list and read",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Sid: "SiemRead",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::444455556666:root" },
            Action: ["s3:GetObject", "s3:ListBucket"],
            Resource: ["arn:aws:s3:::cloudsmith-acme-logs", "arn:aws:s3:::cloudsmith-acme-logs/*"],
          }),
        expect: "FAIL",
      },
      {
        name: "CloudTrail's write not scoped to this trail: any account's trail may write",
        mutate: (f) => delete bucketPolicy(f).Statement.find((x) => x.Sid === "AWSCloudTrailWrite")!.Condition,
        expect: "FAIL",
      },
      {
        name: "public from an office network: undecided",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
            Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
          }),
        expect: "ERROR",
      },
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
      {
        name: "a data perimeter: deny other accounts (aws:PrincipalAccount)",
        mutate: addDeny({ StringNotEquals: { "aws:PrincipalAccount": "123456789012" } }),
      },
      {
        name: "a Deny that exempts the role through aws:PrincipalArn",
        mutate: addDeny({
          ArnNotEquals: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/CloudsmithLogsWriter" },
        }),
      },

      {
        name: "an encryption Deny that only checks a header when it is sent (Null false)",
        mutate: addDeny({
          StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" },
          Null: { "s3:x-amz-server-side-encryption": "false" },
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
        name: "deny unless in the organization: the role's organization is not in the config, undecided",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
            Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-123" } },
          }),
        expect: "ERROR",
      },
      {
        name: "deny naming the account root in another partition",
        // Configs refuse China regions (Cloudsmith cannot reach them); the rule still reads ARNs by partition.
        mutate: (f) => {
          f.config = { ...f.config, region: "cn-north-1" };
          bucketPolicy(f).Statement.push({
            Effect: "Deny",
            Principal: { AWS: "arn:aws-cn:iam::123456789012:root" },
            Action: "s3:PutObject",
            Resource: "*",
          });
        },
        expect: "FAIL",
      },
      { name: "unreadable", mutate: (f) => (f.exportBucket.policy = failed("AccessDenied")), expect: "ERROR" },
      {
        name: "an encryption Deny that requires a header Cloudsmith does not send",
        mutate: addDeny({ Null: { "s3:x-amz-server-side-encryption": "true" } }),
        expect: "FAIL",
      },
      {
        name: "a network perimeter (aws:SourceVpce) that does not exempt the role",
        mutate: addDeny({ StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c" } }),
        expect: "FAIL",
      },
      {
        name: "an IP-range perimeter: Cloudsmith's addresses are not known, undecided",
        mutate: addDeny({ NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } }),
        expect: "ERROR",
      },
      {
        name: "an encryption Deny with ...IfExists still applies when no header is sent",
        mutate: addDeny({ StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "AES256" } }),
        expect: "FAIL",
      },
      {
        name: "a Deny naming one session of the role: the session name is Cloudsmith's, undecided",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Effect: "Deny",
            Principal: { AWS: "arn:aws:sts::123456789012:assumed-role/CloudsmithLogsWriter/s1" },
            Action: "s3:PutObject",
            Resource: "*",
          }),
        expect: "ERROR",
      },
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
