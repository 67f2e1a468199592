/** Rule tables for the role's permissions: facts each rule must pass, and facts it must not. */

import type { Facts } from "../../../../src/checks/index.js";
import { failed, present, unknown } from "../../../../src/engine/fact.js";
import { policy } from "../../../../src/iam/policies/types.js";
import { KMS_KEY } from "../../../helpers/configs.js";
import { kmsFacts, role, rolePolicies, writerPolicy } from "../../../helpers/facts.js";
import type { AreaTables } from "../../../helpers/rule-table.js";

/**
 * The key policy lets the role generate data keys only for one encryption context. With an S3 Bucket
 * Key, S3 asks KMS with the bucket's ARN as aws:s3:arn, without one with the object's (Amazon S3 User
 * Guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys": "When you enable an S3 Bucket
 * Key, ... the bucket Amazon Resource Name (ARN) is used as the encryption context").
 */
const keyPolicyScopedTo = (arnPattern: string) => (f: Facts) => {
  f.kmsKeyPolicy = present({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:role/CloudsmithLogsWriter" },
        Action: "kms:GenerateDataKey",
        Resource: "*",
        Condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": arnPattern } },
      },
    ],
  });
};
const bucketKey = (on: boolean) => (f: Facts) => {
  f.exportBucket.encryption = present({ algorithm: "aws:kms", kmsKeyId: KMS_KEY, bucketKeyEnabled: on });
};
const both =
  (...steps: Array<(f: Facts) => void>) =>
  (f: Facts) => {
    for (const step of steps) step(f);
  };

/** The role's own policies grant nothing; the bucket policy grants the writes to the role ARN. */
const writesThroughBucketPolicy = (f: Facts) => {
  writerPolicy(f).Statement = [];
  f.exportBucket.policy = present({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CloudsmithWrites",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:role/CloudsmithLogsWriter" },
        Action: ["s3:PutObject", "s3:PutObjectAcl"],
        Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
      },
    ],
  });
};

export const TABLES: AreaTables = {
  "permissions.required": {
    valid: [
      { name: "writer policy" },
      // Within one account, identity-based OR resource-based (IAM User Guide, "Policy evaluation logic").
      {
        name: "the writes granted in the bucket policy to the role, none in its own",
        mutate: writesThroughBucketPolicy,
      },
      {
        // The role's own tags are its sessions' aws:PrincipalTag/* (read with GetRole).
        name: "the writer statement conditioned on a tag the role has",
        mutate: (f) => {
          role(f).tags = { team: "logs" };
          writerPolicy(f).Statement[0]!.Condition = { StringEquals: { "aws:PrincipalTag/team": "logs" } };
        },
      },
      {
        name: "split into one statement per action, actions cased differently",
        mutate: (f) =>
          (writerPolicy(f).Statement = [
            { Effect: "Allow", Action: "S3:putobject", Resource: writerPolicy(f).Statement[0]!.Resource },
            { Effect: "Allow", Action: ["s3:PUTOBJECTACL"], Resource: writerPolicy(f).Statement[0]!.Resource },
          ]),
      },
      {
        name: "a condition the session meets (TLS, its own account)",
        mutate: (f) =>
          (writerPolicy(f).Statement[0]!.Condition = {
            Bool: { "aws:SecureTransport": "true" },
            StringEquals: { "aws:ResourceAccount": "123456789012" },
          }),
      },
      {
        name: "a Deny on other buckets only (NotResource)",
        mutate: (f) =>
          writerPolicy(f).Statement.push({
            Effect: "Deny",
            Action: "s3:*",
            NotResource: ["arn:aws:s3:::cloudsmith-acme-logs", "arn:aws:s3:::cloudsmith-acme-logs/*"],
          }),
      },
      {
        name: "boundary allows",
        mutate: (f) => (f.permissionsBoundary = present(policy({ Effect: "Allow", Action: "s3:Put*", Resource: "*" }))),
      },
    ],
    invalid: [
      {
        name: "PutObjectAcl missing",
        mutate: (f) => (writerPolicy(f).Statement[0]!.Action = ["s3:PutObject"]),
        expect: "FAIL",
      },
      {
        name: "one prefix missing",
        mutate: (f) => (writerPolicy(f).Statement[0]!.Resource = ["arn:aws:s3:::cloudsmith-acme-logs/client-logs/*"]),
        expect: "FAIL",
      },
      {
        name: "narrower than the prefix",
        mutate: (f) =>
          (writerPolicy(f).Statement[0]!.Resource = [
            "arn:aws:s3:::cloudsmith-acme-logs/client-logs/x/*",
            "arn:aws:s3:::cloudsmith-acme-logs/audit-logs/*",
          ]),
        expect: "FAIL",
      },
      {
        name: "only from an IP range: Cloudsmith's addresses are not known",
        mutate: (f) => (writerPolicy(f).Statement[0]!.Condition = { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }),
        expect: "ERROR",
      },
      {
        name: "only with MFA, which a role session from Cloudsmith never has",
        mutate: (f) => (writerPolicy(f).Statement[0]!.Condition = { Bool: { "aws:MultiFactorAuthPresent": "true" } }),
        expect: "FAIL",
      },
      {
        name: "a Deny on writes from outside the organization: undecided without the organization id",
        mutate: (f) =>
          writerPolicy(f).Statement.push({
            Effect: "Deny",
            Action: "s3:*",
            Resource: "*",
            Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-acme" } },
          }),
        expect: "ERROR",
      },
      {
        name: "explicit Deny",
        mutate: (f) => writerPolicy(f).Statement.push({ Effect: "Deny", Action: "s3:PutObjectAcl", Resource: "*" }),
        expect: "FAIL",
      },
      {
        name: "boundary blocks",
        mutate: (f) =>
          (f.permissionsBoundary = present(policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }))),
        expect: "FAIL",
      },
      {
        name: "inline policy unreadable",
        mutate: (f) => (rolePolicies(f)[0]!.document = failed("AccessDenied")),
        expect: "ERROR",
      },
      { name: "boundary unreadable", mutate: (f) => (f.permissionsBoundary = failed("AccessDenied")), expect: "ERROR" },
      {
        name: "the writer statement conditioned on a tag the role does not have",
        mutate: (f) => {
          role(f).tags = { team: "other" };
          writerPolicy(f).Statement[0]!.Condition = { StringEquals: { "aws:PrincipalTag/team": "logs" } };
        },
        expect: "FAIL",
      },
      {
        name: "the writer statement conditioned on a tag known only after apply",
        mutate: (f) => {
          role(f).tags = "unknown";
          writerPolicy(f).Statement[0]!.Condition = { StringEquals: { "aws:PrincipalTag/team": "logs" } };
        },
        expect: "ERROR",
      },
      {
        // The boundary limits a grant to the role ARN (IAM User Guide, access_policies_boundaries).
        name: "the writes granted in the bucket policy to the role ARN, outside its boundary",
        mutate: (f) => {
          writesThroughBucketPolicy(f);
          f.permissionsBoundary = present(policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }));
        },
        expect: "FAIL",
      },
      {
        name: "the role's policies do not allow the writes and the bucket policy is unreadable",
        mutate: (f) => {
          writerPolicy(f).Statement = [];
          f.exportBucket.policy = failed("AccessDenied");
        },
        expect: "ERROR",
      },
    ],
  },
  "permissions.least-privilege": {
    valid: [
      { name: "writer policy" },
      {
        name: "narrower resource",
        mutate: (f) =>
          (writerPolicy(f).Statement[0]!.Resource = ["arn:aws:s3:::cloudsmith-acme-logs/client-logs/sub/*"]),
      },
    ],
    invalid: [
      { name: "s3:*", mutate: (f) => (writerPolicy(f).Statement[0]!.Action = "s3:*"), expect: "FAIL" },
      {
        name: "s3:Put* expands beyond",
        mutate: (f) => (writerPolicy(f).Statement[0]!.Action = "s3:Put*"),
        expect: "FAIL",
      },
      {
        name: "s3:PutObject* expands beyond",
        mutate: (f) => (writerPolicy(f).Statement[0]!.Action = "s3:PutObject*"),
        expect: "FAIL",
      },
      {
        name: "GetObject added",
        mutate: (f) => (writerPolicy(f).Statement[0]!.Action = ["s3:PutObject", "s3:PutObjectAcl", "s3:GetObject"]),
        expect: "FAIL",
      },
      { name: "Resource *", mutate: (f) => (writerPolicy(f).Statement[0]!.Resource = "*"), expect: "FAIL" },
      {
        name: "other bucket",
        mutate: (f) => (writerPolicy(f).Statement[0]!.Resource = ["arn:aws:s3:::other/*"]),
        expect: "FAIL",
      },
      {
        name: "whole bucket",
        mutate: (f) => (writerPolicy(f).Statement[0]!.Resource = ["arn:aws:s3:::cloudsmith-acme-logs/*"]),
        expect: "FAIL",
      },
      {
        name: "NotAction",
        mutate: (f) => writerPolicy(f).Statement.push({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
        expect: "FAIL",
      },
      {
        name: "AmazonS3FullAccess attached",
        mutate: (f) =>
          rolePolicies(f).push({
            name: "AmazonS3FullAccess",
            kind: "managed",
            arn: "arn:aws:iam::aws:policy/AmazonS3FullAccess",
            document: present(policy({ Effect: "Allow", Action: ["s3:*", "s3-object-lambda:*"], Resource: "*" })),
          }),
        expect: "FAIL",
      },
      {
        name: "managed policy unreadable",
        mutate: (f) =>
          rolePolicies(f).push({
            name: "x",
            kind: "managed",
            document: failed("AccessDenied"),
          }),
        expect: "ERROR",
      },
      {
        name: "policies unknown (plan)",
        mutate: (f) => (rolePolicies(f)[0]!.document = unknown("after apply")),
        expect: "ERROR",
      },
    ],
  },
  "permissions.kms": {
    valid: [
      { name: "KMS: allowed by policy and key policy", facts: kmsFacts },
      {
        name: "KMS: Bucket Key on, key policy scoped to the bucket ARN",
        facts: kmsFacts,
        mutate: both(bucketKey(true), keyPolicyScopedTo("arn:aws:s3:::cloudsmith-acme-logs")),
      },
      {
        name: "KMS: Bucket Key off, key policy scoped to object ARNs",
        facts: kmsFacts,
        mutate: both(bucketKey(false), keyPolicyScopedTo("arn:aws:s3:::cloudsmith-acme-logs/*")),
      },
      {
        name: "KMS: grant instead of key policy",
        facts: kmsFacts,
        mutate: (f) => {
          f.kmsKeyPolicy = present(policy());
          f.kmsGrants = present([
            {
              granteePrincipal: "arn:aws:iam::123456789012:role/CloudsmithLogsWriter",
              operations: ["GenerateDataKey"],
            },
          ]);
        },
      },
    ],
    invalid: [
      {
        name: "KMS: Bucket Key on, key policy scoped to object ARNs (S3 sends the bucket's)",
        facts: kmsFacts,
        mutate: both(bucketKey(true), keyPolicyScopedTo("arn:aws:s3:::cloudsmith-acme-logs/*")),
        expect: "FAIL",
      },
      {
        name: "KMS: Bucket Key off, key policy scoped to the bucket ARN only (S3 sends the object's)",
        facts: kmsFacts,
        mutate: both(bucketKey(false), keyPolicyScopedTo("arn:aws:s3:::cloudsmith-acme-logs")),
        expect: "FAIL",
      },
      {
        name: "KMS: default encryption unreadable (what S3 sends is not known)",
        facts: kmsFacts,
        mutate: (f) => (f.exportBucket.encryption = failed("AccessDenied")),
        expect: "ERROR",
      },
      { name: "SSE-S3: not applicable", expect: "SKIPPED" },
      {
        name: "KMS: role policy lacks it",
        facts: kmsFacts,
        mutate: (f) => (writerPolicy(f).Statement = writerPolicy(f).Statement.slice(0, 1)),
        expect: "FAIL",
      },
      {
        name: "KMS: key policy excludes the role",
        facts: kmsFacts,
        mutate: (f) => (f.kmsKeyPolicy = present(policy())),
        expect: "FAIL",
      },
      {
        name: "KMS: key policy unreadable",
        facts: kmsFacts,
        mutate: (f) => (f.kmsKeyPolicy = failed("AccessDeniedException")),
        expect: "ERROR",
      },
    ],
  },
};
