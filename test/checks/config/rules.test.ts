/**
 * Every rule against fact tables: a correct deployment passes, each broken
 * fact fails, and a failed read is ERROR (never PASS, never FAIL).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../../src/checks/config/rules/index.js";
import { DELIVERY_RULES } from "../../../src/checks/delivery/rules/index.js";
import type { Facts } from "../../../src/checks/index.js";
import { ALL_RULES } from "../../../src/checks/index.js";
import { INTEGRITY_RULES } from "../../../src/checks/integrity/rules/index.js";
import { evaluate } from "../../../src/engine/evaluate.js";
import { absent, failed, present, unknown } from "../../../src/engine/fact.js";
import type { Status } from "../../../src/engine/rule.js";
import { loadActionCatalog } from "../../../src/iam/action-catalog.js";
import type { PolicyDocument, Statement } from "../../../src/iam/policies/types.js";
import { renderRuleDocs } from "../../../src/verify/rule-docs.js";
import { base, KMS_KEY } from "../../helpers/configs.js";
import { healthyFacts, presentValue } from "../../helpers/facts.js";

type Mutate = (f: Facts) => void;
interface Case {
  name: string;
  mutate?: Mutate;
  facts?: () => Facts;
  expect: Status;
}

beforeAll(() => loadActionCatalog(["s3:*", "s3-object-lambda:*", "kms:*", "sts:*", "iam:*"]));

const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const trust = (f: Facts) => (f.role as { value: { trustPolicy: { value: PolicyDocument } } }).value.trustPolicy.value;
const trustStmt = (f: Facts) => trust(f).Statement[0]!;
const writer = (f: Facts) =>
  (f.rolePolicies as { value: Array<{ document: { value: PolicyDocument } }> }).value[0]!.document.value;
const bucketPolicy = (f: Facts) => (f.exportBucket.policy as { value: PolicyDocument }).value;
const trailOf = (f: Facts) => presentValue(f.trail) as unknown as Record<string, unknown>;
const selectorsOf = (f: Facts) =>
  presentValue(f.eventSelectors) as unknown as {
    basic: unknown[];
    advanced: Array<{ fieldSelectors: Array<Record<string, unknown>> }>;
  };
const kmsFacts = () => healthyFacts({ ...base, encryption: { type: "SSE-KMS", kmsKeyArn: KMS_KEY } });

const TABLE: Record<string, Case[]> = {
  "identity.account": [
    { name: "same account", expect: "PASS" },
    {
      name: "other account",
      mutate: (f) => (f.identity = present({ account: "999999999999", arn: "x" })),
      expect: "FAIL",
    },
    { name: "STS unreachable", mutate: (f) => (f.identity = failed("network")), expect: "ERROR" },
  ],
  "role.exists": [
    { name: "exact name, path /", expect: "PASS" },
    { name: "missing", mutate: (f) => (f.role = absent("NoSuchEntity")), expect: "FAIL" },
    {
      name: "path /service/",
      mutate: (f) => ((f.role as { value: { path: string } }).value.path = "/service/"),
      expect: "FAIL",
    },
    { name: "AccessDenied", mutate: (f) => (f.role = failed("AccessDenied")), expect: "ERROR" },
  ],
  "trust.principal": [
    { name: "only Cloudsmith", expect: "PASS" },
    { name: "bare account id form", mutate: (f) => (trustStmt(f).Principal = { AWS: "884446598447" }), expect: "PASS" },
    { name: "principal *", mutate: (f) => (trustStmt(f).Principal = "*"), expect: "FAIL" },
    { name: "AWS *", mutate: (f) => (trustStmt(f).Principal = { AWS: "*" }), expect: "FAIL" },
    {
      name: "extra account",
      mutate: (f) =>
        (trustStmt(f).Principal = { AWS: ["arn:aws:iam::884446598447:root", "arn:aws:iam::111122223333:root"] }),
      expect: "FAIL",
    },
    {
      name: "service principal",
      mutate: (f) => (trustStmt(f).Principal = { AWS: "arn:aws:iam::884446598447:root", Service: "ec2.amazonaws.com" }),
      expect: "FAIL",
    },
    {
      name: "NotPrincipal",
      mutate: (f) => {
        delete trustStmt(f).Principal;
        trustStmt(f).NotPrincipal = { AWS: "arn:aws:iam::111122223333:root" };
      },
      expect: "FAIL",
    },
    {
      name: "second statement",
      mutate: (f) =>
        trust(f).Statement.push({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "sts:AssumeRole",
        }),
      expect: "FAIL",
    },
    { name: "no assume statement", mutate: (f) => (trust(f).Statement = []), expect: "FAIL" },
    { name: "role unreadable", mutate: (f) => (f.role = failed("throttled")), expect: "ERROR" },
    {
      name: "trust unknown (plan)",
      mutate: (f) => ((f.role as { value: { trustPolicy: unknown } }).value.trustPolicy = unknown("var")),
      expect: "ERROR",
    },
  ],
  "trust.external-id": [
    { name: "StringEquals with the ID", expect: "PASS" },
    { name: "no condition", mutate: (f) => delete trustStmt(f).Condition, expect: "FAIL" },
    {
      name: "StringLike",
      mutate: (f) => (trustStmt(f).Condition = { StringLike: { "sts:ExternalId": "cs-*" } }),
      expect: "FAIL",
    },
    {
      name: "ForAnyValue",
      mutate: (f) =>
        (trustStmt(f).Condition = { "ForAnyValue:StringEquals": { "sts:ExternalId": ["cs-ext-0123456789"] } }),
      expect: "FAIL",
    },
    {
      name: "IfExists",
      mutate: (f) => (trustStmt(f).Condition = { StringEqualsIfExists: { "sts:ExternalId": "cs-ext-0123456789" } }),
      expect: "FAIL",
    },
    {
      name: "wrong value",
      mutate: (f) => (trustStmt(f).Condition = { StringEquals: { "sts:ExternalId": "other" } }),
      expect: "FAIL",
    },
    {
      name: "extra allowed value",
      mutate: (f) => (trustStmt(f).Condition = { StringEquals: { "sts:ExternalId": ["cs-ext-0123456789", "other"] } }),
      expect: "FAIL",
    },
    {
      name: "second statement without it",
      mutate: (f) =>
        trust(f).Statement.push({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::884446598447:root" },
          Action: "sts:AssumeRole",
        }),
      expect: "FAIL",
    },
    {
      name: "value from a Terraform variable",
      mutate: (f) => (trustStmt(f).Condition = { StringEquals: { "sts:ExternalId": "${var.cloudsmith_external_id}" } }),
      expect: "ERROR",
    },
    {
      name: "config lacks the ID",
      facts: () => healthyFacts({ ...base, externalId: undefined, roleName: "R" }),
      mutate: (f) => (trustStmt(f).Condition = { StringEquals: { "sts:ExternalId": "x1" } }),
      expect: "ERROR",
    },
  ],
  "trust.actions": [
    { name: "sts:AssumeRole", expect: "PASS" },
    { name: "sts:*", mutate: (f) => (trustStmt(f).Action = "sts:*"), expect: "FAIL" },
    {
      name: "extra TagSession",
      mutate: (f) => (trustStmt(f).Action = ["sts:AssumeRole", "sts:TagSession"]),
      expect: "FAIL",
    },
    {
      name: "NotAction",
      mutate: (f) => {
        delete trustStmt(f).Action;
        trustStmt(f).NotAction = "iam:*";
      },
      expect: "FAIL",
    },
  ],
  "trust.no-mfa": [
    { name: "no MFA", expect: "PASS" },
    {
      name: "MFA present",
      mutate: (f) =>
        (trustStmt(f).Condition = { ...trustStmt(f).Condition, Bool: { "aws:MultiFactorAuthPresent": "true" } }),
      expect: "FAIL",
    },
    {
      name: "MFA age",
      mutate: (f) =>
        (trustStmt(f).Condition = { ...trustStmt(f).Condition, NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } }),
      expect: "FAIL",
    },
  ],
  "permissions.required": [
    { name: "writer policy", expect: "PASS" },
    {
      name: "PutObjectAcl missing",
      mutate: (f) => (writer(f).Statement[0]!.Action = ["s3:PutObject"]),
      expect: "FAIL",
    },
    {
      name: "one prefix missing",
      mutate: (f) => (writer(f).Statement[0]!.Resource = ["arn:aws:s3:::cloudsmith-acme-logs/client-logs/*"]),
      expect: "FAIL",
    },
    {
      name: "narrower than the prefix",
      mutate: (f) =>
        (writer(f).Statement[0]!.Resource = [
          "arn:aws:s3:::cloudsmith-acme-logs/client-logs/x/*",
          "arn:aws:s3:::cloudsmith-acme-logs/audit-logs/*",
        ]),
      expect: "FAIL",
    },
    {
      name: "only with a condition",
      mutate: (f) => (writer(f).Statement[0]!.Condition = { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }),
      expect: "FAIL",
    },
    {
      name: "explicit Deny",
      mutate: (f) => writer(f).Statement.push({ Effect: "Deny", Action: "s3:PutObjectAcl", Resource: "*" }),
      expect: "FAIL",
    },
    {
      name: "boundary blocks",
      mutate: (f) => (f.permissionsBoundary = present(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }))),
      expect: "FAIL",
    },
    {
      name: "boundary allows",
      mutate: (f) => (f.permissionsBoundary = present(doc({ Effect: "Allow", Action: "s3:Put*", Resource: "*" }))),
      expect: "PASS",
    },
    {
      name: "inline policy unreadable",
      mutate: (f) =>
        ((f.rolePolicies as { value: Array<{ document: unknown }> }).value[0]!.document = failed("AccessDenied")),
      expect: "ERROR",
    },
    { name: "boundary unreadable", mutate: (f) => (f.permissionsBoundary = failed("AccessDenied")), expect: "ERROR" },
  ],
  "permissions.least-privilege": [
    { name: "writer policy", expect: "PASS" },
    {
      name: "narrower resource",
      mutate: (f) => (writer(f).Statement[0]!.Resource = ["arn:aws:s3:::cloudsmith-acme-logs/client-logs/sub/*"]),
      expect: "PASS",
    },
    { name: "s3:*", mutate: (f) => (writer(f).Statement[0]!.Action = "s3:*"), expect: "FAIL" },
    { name: "s3:Put* expands beyond", mutate: (f) => (writer(f).Statement[0]!.Action = "s3:Put*"), expect: "FAIL" },
    {
      name: "s3:PutObject* expands beyond",
      mutate: (f) => (writer(f).Statement[0]!.Action = "s3:PutObject*"),
      expect: "FAIL",
    },
    {
      name: "GetObject added",
      mutate: (f) => (writer(f).Statement[0]!.Action = ["s3:PutObject", "s3:PutObjectAcl", "s3:GetObject"]),
      expect: "FAIL",
    },
    { name: "Resource *", mutate: (f) => (writer(f).Statement[0]!.Resource = "*"), expect: "FAIL" },
    {
      name: "other bucket",
      mutate: (f) => (writer(f).Statement[0]!.Resource = ["arn:aws:s3:::other/*"]),
      expect: "FAIL",
    },
    {
      name: "whole bucket",
      mutate: (f) => (writer(f).Statement[0]!.Resource = ["arn:aws:s3:::cloudsmith-acme-logs/*"]),
      expect: "FAIL",
    },
    {
      name: "NotAction",
      mutate: (f) => writer(f).Statement.push({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
      expect: "FAIL",
    },
    {
      name: "AmazonS3FullAccess attached",
      mutate: (f) =>
        (f.rolePolicies as { value: unknown[] }).value.push({
          name: "AmazonS3FullAccess",
          kind: "managed",
          arn: "arn:aws:iam::aws:policy/AmazonS3FullAccess",
          document: present(doc({ Effect: "Allow", Action: ["s3:*", "s3-object-lambda:*"], Resource: "*" })),
        }),
      expect: "FAIL",
    },
    {
      name: "managed policy unreadable",
      mutate: (f) =>
        (f.rolePolicies as { value: unknown[] }).value.push({
          name: "x",
          kind: "managed",
          document: failed("AccessDenied"),
        }),
      expect: "ERROR",
    },
    {
      name: "policies unknown (plan)",
      mutate: (f) =>
        ((f.rolePolicies as { value: Array<{ document: unknown }> }).value[0]!.document = unknown("after apply")),
      expect: "ERROR",
    },
  ],
  "permissions.kms": [
    { name: "SSE-S3: not applicable", expect: "SKIPPED" },
    { name: "KMS: allowed by policy and key policy", facts: kmsFacts, expect: "PASS" },
    {
      name: "KMS: grant instead of key policy",
      facts: kmsFacts,
      mutate: (f) => {
        f.kmsKeyPolicy = present(doc());
        f.kmsGrants = present([
          { granteePrincipal: "arn:aws:iam::123456789012:role/CloudsmithLogsWriter", operations: ["GenerateDataKey"] },
        ]);
      },
      expect: "PASS",
    },
    {
      name: "KMS: role policy lacks it",
      facts: kmsFacts,
      mutate: (f) => (writer(f).Statement = writer(f).Statement.slice(0, 1)),
      expect: "FAIL",
    },
    {
      name: "KMS: key policy excludes the role",
      facts: kmsFacts,
      mutate: (f) => (f.kmsKeyPolicy = present(doc())),
      expect: "FAIL",
    },
    {
      name: "KMS: key policy unreadable",
      facts: kmsFacts,
      mutate: (f) => (f.kmsKeyPolicy = failed("AccessDeniedException")),
      expect: "ERROR",
    },
  ],
  "bucket.exists": [
    { name: "exists", expect: "PASS" },
    { name: "missing", mutate: (f) => (f.exportBucket.exists = absent("NotFound")), expect: "FAIL" },
    { name: "other region", mutate: (f) => (f.exportBucket.exists = present({ region: "eu-west-1" })), expect: "FAIL" },
    {
      name: "403 (other owner or denied)",
      mutate: (f) => (f.exportBucket.exists = failed("HTTP 403")),
      expect: "ERROR",
    },
  ],
  "bucket.public-access-block": [
    { name: "all on", expect: "PASS" },
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
  "bucket.object-ownership": [
    { name: "enforced", expect: "PASS" },
    { name: "preferred", mutate: (f) => (f.exportBucket.ownership = present("BucketOwnerPreferred")), expect: "FAIL" },
    {
      name: "none",
      mutate: (f) => (f.exportBucket.ownership = absent("OwnershipControlsNotFoundError")),
      expect: "FAIL",
    },
    { name: "unreadable", mutate: (f) => (f.exportBucket.ownership = failed("AccessDenied")), expect: "ERROR" },
  ],
  "bucket.tls-only": [
    { name: "deny statement", expect: "PASS" },
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
  "bucket.requester-pays": [
    { name: "owner pays", expect: "PASS" },
    { name: "requester pays", mutate: (f) => (f.exportBucket.requestPayer = present("Requester")), expect: "FAIL" },
    { name: "unreadable", mutate: (f) => (f.exportBucket.requestPayer = failed("AccessDenied")), expect: "ERROR" },
  ],
  "bucket.no-deny-writer": [
    { name: "no deny but TLS", expect: "PASS" },
    { name: "no policy", mutate: (f) => (f.exportBucket.policy = absent("NoSuchBucketPolicy")), expect: "PASS" },
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
    {
      name: "deny for another principal",
      mutate: (f) =>
        bucketPolicy(f).Statement.push({
          Effect: "Deny",
          Principal: { AWS: "arn:aws:iam::123456789012:role/Other" },
          Action: "s3:*",
          Resource: "*",
        }),
      expect: "PASS",
    },
    { name: "unreadable", mutate: (f) => (f.exportBucket.policy = failed("AccessDenied")), expect: "ERROR" },
  ],
  "bucket.encryption": [
    { name: "SSE-S3", expect: "PASS" },
    {
      name: "KMS when SSE-S3 configured",
      mutate: (f) => (f.exportBucket.encryption = present({ algorithm: "aws:kms", kmsKeyId: "k" })),
      expect: "FAIL",
    },
    { name: "SSE-KMS with the key", facts: kmsFacts, expect: "PASS" },
    {
      name: "SSE-KMS with another key",
      facts: kmsFacts,
      mutate: (f) => (f.exportBucket.encryption = present({ algorithm: "aws:kms", kmsKeyId: "other" })),
      expect: "FAIL",
    },
    { name: "unreadable", mutate: (f) => (f.exportBucket.encryption = failed("AccessDenied")), expect: "ERROR" },
  ],
  "trail.exists": [
    { name: "exists", expect: "PASS" },
    { name: "missing", mutate: (f) => (f.trail = absent("TrailNotFoundException")), expect: "FAIL" },
    { name: "other home region", mutate: (f) => (trailOf(f).homeRegion = "eu-west-1"), expect: "FAIL" },
    {
      name: "trail off in config",
      facts: () => healthyFacts({ ...base, cloudtrail: { enabled: false } }),
      expect: "SKIPPED",
    },
    { name: "unreadable", mutate: (f) => (f.trail = failed("AccessDenied")), expect: "ERROR" },
  ],
  "trail.logging": [
    { name: "logging", expect: "PASS" },
    { name: "stopped", mutate: (f) => (f.trailStatus = present({ isLogging: false })), expect: "FAIL" },
    { name: "status unreadable", mutate: (f) => (f.trailStatus = failed("AccessDenied")), expect: "ERROR" },
  ],
  "trail.multi-region": [
    { name: "multi", expect: "PASS" },
    { name: "single", mutate: (f) => (trailOf(f).isMultiRegionTrail = false), expect: "FAIL" },
    {
      name: "config opts out",
      facts: () => healthyFacts({ ...base, cloudtrail: { multiRegion: false } }),
      expect: "SKIPPED",
    },
  ],
  "trail.global-events": [
    { name: "on", expect: "PASS" },
    { name: "off", mutate: (f) => (trailOf(f).includeGlobalServiceEvents = false), expect: "FAIL" },
  ],
  "trail.log-validation": [
    { name: "on", expect: "PASS" },
    { name: "off", mutate: (f) => (trailOf(f).logFileValidationEnabled = false), expect: "FAIL" },
    { name: "unreadable", mutate: (f) => (f.trail = failed("throttled")), expect: "ERROR" },
  ],
  "trail.management-events": [
    { name: "advanced all", expect: "PASS" },
    {
      name: "basic All",
      mutate: (f) =>
        (f.eventSelectors = present({
          basic: [{ readWriteType: "All", includeManagementEvents: true }],
          advanced: [],
        })),
      expect: "PASS",
    },
    {
      name: "basic WriteOnly",
      mutate: (f) =>
        (f.eventSelectors = present({
          basic: [{ readWriteType: "WriteOnly", includeManagementEvents: true }],
          advanced: [],
        })),
      expect: "FAIL",
    },
    {
      name: "codeartifact excluded",
      mutate: (f) =>
        (f.eventSelectors = present({
          basic: [
            {
              readWriteType: "All",
              includeManagementEvents: true,
              excludeManagementEventSources: ["codeartifact.amazonaws.com"],
            },
          ],
          advanced: [],
        })),
      expect: "FAIL",
    },
    {
      name: "advanced readOnly=false",
      mutate: (f) => selectorsOf(f).advanced[0]!.fieldSelectors.push({ field: "readOnly", equals: ["false"] }),
      expect: "FAIL",
    },
    {
      name: "advanced read + write selectors",
      mutate: (f) =>
        (f.eventSelectors = present({
          basic: [],
          advanced: [
            {
              fieldSelectors: [
                { field: "eventCategory", equals: ["Management"] },
                { field: "readOnly", equals: ["true"] },
              ],
            },
            {
              fieldSelectors: [
                { field: "eventCategory", equals: ["Management"] },
                { field: "readOnly", equals: ["false"] },
              ],
            },
          ],
        })),
      expect: "PASS",
    },
    {
      name: "advanced excludes codeartifact",
      mutate: (f) =>
        selectorsOf(f).advanced[0]!.fieldSelectors.push({
          field: "eventSource",
          notEquals: ["codeartifact.amazonaws.com"],
        }),
      expect: "FAIL",
    },
    {
      name: "no management selector",
      mutate: (f) => (selectorsOf(f).advanced = selectorsOf(f).advanced.slice(1)),
      expect: "FAIL",
    },
    { name: "unreadable", mutate: (f) => (f.eventSelectors = failed("AccessDenied")), expect: "ERROR" },
  ],
  "trail.destination": [
    { name: "configured", expect: "PASS" },
    { name: "other bucket", mutate: (f) => (trailOf(f).s3BucketName = "other"), expect: "FAIL" },
    { name: "other prefix", mutate: (f) => (trailOf(f).s3KeyPrefix = "ct"), expect: "FAIL" },
  ],
  "trail.bucket-policy": [
    { name: "as generated", expect: "PASS" },
    {
      name: "write removed",
      mutate: (f) =>
        (bucketPolicy(f).Statement = bucketPolicy(f).Statement.filter((s) => s.Sid !== "AWSCloudTrailWrite")),
      expect: "FAIL",
    },
    {
      name: "acl check removed",
      mutate: (f) =>
        (bucketPolicy(f).Statement = bucketPolicy(f).Statement.filter((s) => s.Sid !== "AWSCloudTrailAclCheck")),
      expect: "FAIL",
    },
    {
      name: "no SourceArn",
      mutate: (f) => {
        const s = bucketPolicy(f).Statement.find((x) => x.Sid === "AWSCloudTrailWrite")!;
        s.Condition = { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } };
      },
      expect: "FAIL",
    },
    {
      name: "broad extra grant",
      mutate: (f) =>
        bucketPolicy(f).Statement.push({
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:*",
          Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
        }),
      expect: "FAIL",
    },
    { name: "no policy", mutate: (f) => (f.exportBucket.policy = absent("NoSuchBucketPolicy")), expect: "FAIL" },
    { name: "unreadable", mutate: (f) => (f.exportBucket.policy = failed("AccessDenied")), expect: "ERROR" },
  ],
  "trail.delivery-errors": [
    { name: "none", expect: "PASS" },
    { name: "error", mutate: (f) => (f.trailDeliveryError = present("AccessDenied")), expect: "FAIL" },
    { name: "unreadable", mutate: (f) => (f.trailDeliveryError = failed("AccessDenied")), expect: "ERROR" },
  ],
  "trail.s3-data-events": [
    { name: "prefixes", expect: "PASS" },
    {
      name: "bucket-wide selector",
      mutate: (f) =>
        (selectorsOf(f).advanced[1]!.fieldSelectors[2] = {
          field: "resources.ARN",
          startsWith: ["arn:aws:s3:::cloudsmith-acme-logs/"],
        }),
      expect: "PASS",
    },
    { name: "all buckets", mutate: (f) => selectorsOf(f).advanced[1]!.fieldSelectors.pop(), expect: "PASS" },
    {
      name: "basic selector for all buckets (GovCloud)",
      facts: () => healthyFacts({ ...base, region: "us-gov-west-1" }),
      mutate: (f) =>
        (f.eventSelectors = present({
          basic: [
            { readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws-us-gov:s3"] }] },
          ],
          advanced: [],
        })),
      expect: "PASS",
    },
    {
      name: "basic selector on the bucket",
      mutate: (f) =>
        (f.eventSelectors = present({
          basic: [
            {
              readWriteType: "All",
              includeManagementEvents: true,
              dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::cloudsmith-acme-logs/"] }],
            },
          ],
          advanced: [],
        })),
      expect: "PASS",
    },
    {
      name: "one prefix missing",
      mutate: (f) =>
        (selectorsOf(f).advanced[1]!.fieldSelectors[2] = {
          field: "resources.ARN",
          startsWith: ["arn:aws:s3:::cloudsmith-acme-logs/client-logs/"],
        }),
      expect: "FAIL",
    },
    {
      name: "read-only data events",
      mutate: (f) => selectorsOf(f).advanced[1]!.fieldSelectors.push({ field: "readOnly", equals: ["true"] }),
      expect: "FAIL",
    },
    {
      name: "no data selector",
      mutate: (f) => (selectorsOf(f).advanced = selectorsOf(f).advanced.slice(0, 1)),
      expect: "FAIL",
    },
    {
      name: "config opts out",
      facts: () => healthyFacts({ ...base, cloudtrail: { dataEvents: false } }),
      expect: "SKIPPED",
    },
  ],
  "trail.kms": [
    { name: "key set", expect: "PASS" },
    { name: "no key (advice)", mutate: (f) => delete trailOf(f).kmsKeyId, expect: "FAIL" },
  ],
  "trail.cloudwatch-logs": [
    { name: "set", expect: "PASS" },
    { name: "not set (advice)", mutate: (f) => delete trailOf(f).cloudWatchLogsLogGroupArn, expect: "FAIL" },
  ],
  "analyzer.validate-policy": [
    { name: "no findings", expect: "PASS" },
    {
      name: "suggestion only",
      mutate: (f) =>
        (f.analyzerFindings = present([{ policy: "writer", findingType: "SUGGESTION", issueCode: "X", message: "m" }])),
      expect: "PASS",
    },
    {
      name: "security warning",
      mutate: (f) =>
        (f.analyzerFindings = present([
          { policy: "trust", findingType: "SECURITY_WARNING", issueCode: "X", message: "m" },
        ])),
      expect: "FAIL",
    },
    {
      name: "emulator",
      mutate: (f) => (f.analyzerFindings = { state: "skip", detail: "custom endpoint" }),
      expect: "SKIPPED",
    },
    { name: "unreadable", mutate: (f) => (f.analyzerFindings = failed("AccessDenied")), expect: "ERROR" },
  ],
  "analyzer.no-new-access": [
    { name: "PASS", expect: "PASS" },
    {
      name: "FAIL",
      mutate: (f) => (f.analyzerNoNewAccess = present({ result: "FAIL", message: "new principal" })),
      expect: "FAIL",
    },
    { name: "unreadable", mutate: (f) => (f.analyzerNoNewAccess = failed("AccessDenied")), expect: "ERROR" },
  ],
};

function statuses(ruleId: string, c: Case): Status[] {
  const rule = RULES.find((r) => r.id === ruleId)!;
  const facts = structuredClone(c.facts ? c.facts() : healthyFacts());
  c.mutate?.(facts);
  return evaluate([rule], facts).map((r) => r.status);
}

describe.each(Object.entries(TABLE))("%s", (ruleId, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const got = statuses(ruleId, c);
    expect(got).toContain(c.expect);
    if (c.expect !== "FAIL") expect(got).not.toContain("FAIL");
    if (c.expect !== "PASS") expect(got).not.toContain("PASS");
  });
});

describe("rule inventory", () => {
  it("ids are unique across all rules and each registry is sorted", () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const registry of [RULES, DELIVERY_RULES, INTEGRITY_RULES]) {
      const own = registry.map((r) => r.id);
      expect([...own].sort()).toEqual(own);
    }
  });
  it("delivery and integrity rules are documented too (their behaviour is tested against the emulator)", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    for (const r of [...DELIVERY_RULES, ...INTEGRITY_RULES]) {
      expect(readme, r.id).toContain(`\`${r.id}\``);
      expect(r.rationale.length, r.id).toBeGreaterThan(40);
      expect(r.docs.length, r.id).toBeGreaterThan(20);
    }
  });
  it("every rule is documented in its file and in the README, and tested here with a PASS, a FAIL and an ERROR or SKIPPED", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    for (const r of RULES) {
      expect(r.title.length, r.id).toBeGreaterThan(10);
      expect(r.rationale.length, r.id).toBeGreaterThan(40);
      expect(r.remediation.terraform.length, r.id).toBeGreaterThan(10);
      expect(r.remediation.console.length, r.id).toBeGreaterThan(10);
      expect(r.docs.length, r.id).toBeGreaterThan(20);
      expect(readme, `README documents ${r.id}`).toContain(`\`${r.id}\``);
      const cases = TABLE[r.id];
      expect(cases, `${r.id} has a fact table`).toBeDefined();
      const expected = new Set(cases!.map((c) => c.expect));
      expect(expected.has("PASS") && expected.has("FAIL"), `${r.id} passes and fails`).toBe(true);
    }
    expect(Object.keys(TABLE).sort()).toEqual(RULES.map((r) => r.id));
  });
  it("the README's rule reference is generated from the registry (run `npm run build && npm run docs:rules`)", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(renderRuleDocs());
  });
  it("a rule that throws is an ERROR, reported apart from FAIL", () => {
    const broken = {
      ...RULES[0]!,
      id: "test.broken",
      evaluate: () => {
        throw new TypeError("boom");
      },
    };
    const [r] = evaluate([broken], healthyFacts());
    expect(r).toMatchObject({ status: "ERROR", message: "the rule failed: boom" });
  });
  it("a suppression with a reason turns a FAIL into SKIPPED and keeps the reason", () => {
    const facts = healthyFacts({
      ...base,
      suppressions: [{ rule: "trail.global-events", reason: "IAM events are recorded by the org trail" }],
    });
    (facts.trail as { value: { includeGlobalServiceEvents: boolean } }).value.includeGlobalServiceEvents = false;
    const [r] = evaluate(
      RULES.filter((x) => x.id === "trail.global-events"),
      facts,
    );
    expect(r).toMatchObject({
      status: "SKIPPED",
      suppression: { reason: "IAM events are recorded by the org trail", originalStatus: "FAIL" },
    });
  });
});
