/** Facts of a correct deployment, built from the policy functions: each rule test mutates one thing. */

import type { CloudTrailDelivery, DeliveryFacts, LogDelivery } from "../../src/checks/delivery/facts.js";
import type {
  AdvancedSelector,
  BasicSelector,
  BucketFacts,
  IdentityPolicyFact,
  RoleFact,
  TrailFact,
} from "../../src/checks/deployment/facts.js";
import type { Facts } from "../../src/checks/index.js";
import type { IntegrityReport } from "../../src/cloudtrail/validate/report.js";
import { bucketArn, roleArn, trailArn, trailBucketName } from "../../src/config/derived.js";
import type { ConfigInput } from "../../src/config/schema.js";
import { type Fact, present, skip } from "../../src/engine/fact.js";
import {
  expectedExportBucketPolicy,
  expectedTrailBucketPolicy,
  expectedTrustPolicy,
  expectedWriterPolicy,
} from "../../src/iam/policies/index.js";
import type { PolicyDocument, Statement } from "../../src/iam/policies/types.js";
import { base, configOf, KMS_KEY } from "./configs.js";

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
    // As this tool synthesizes an SSE-KMS bucket: with an S3 Bucket Key.
    encryption: present(
      kmsKey ? { algorithm: "aws:kms", kmsKeyId: kmsKey, bucketKeyEnabled: true } : { algorithm: "AES256" },
    ),
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
export function presentValue<T>(fact: Fact<T>): T {
  if (fact.state !== "present") throw new Error(`fact is ${fact.state}`);
  return fact.value;
}

/** Typed accessors for the facts rule tables change (each throws unless the fact is present). */
export const kmsFacts = (): Facts => healthyFacts({ ...base, encryption: { type: "SSE-KMS", kmsKeyArn: KMS_KEY } });
export const role = (f: Facts): RoleFact => presentValue(f.role);
export const trustPolicy = (f: Facts): PolicyDocument => presentValue(role(f).trustPolicy);
export const trustStatement = (f: Facts, i = 0): Statement => trustPolicy(f).Statement[i]!;
export const rolePolicies = (f: Facts): IdentityPolicyFact[] => presentValue(f.rolePolicies);
export const writerPolicy = (f: Facts): PolicyDocument => presentValue(rolePolicies(f)[0]!.document);
export const bucketPolicy = (f: Facts): PolicyDocument => presentValue(f.exportBucket.policy);
export const trail = (f: Facts): TrailFact => presentValue(f.trail);
export const selectors = (f: Facts): { basic: BasicSelector[]; advanced: AdvancedSelector[] } =>
  presentValue(f.eventSelectors);

const NOW = "2026-06-01T12:00:00.000Z";
const minutesBefore = (minutes: number): string => new Date(Date.parse(NOW) - minutes * 60_000).toISOString();

/** What a healthy delivery looks like: both prefixes exported 20 minutes ago, CloudTrail files 10 minutes ago. */
export function healthyDelivery(): DeliveryFacts {
  const log = (logType: "client" | "audit", prefix: string): LogDelivery => ({
    logType,
    prefix,
    objectCount: 48,
    truncated: false,
    newest: { key: `${prefix}/2026/06/01/11.json.gz`, lastModified: minutesBefore(20), size: 2048, gzip: true },
    sample: { objects: 3, records: 120, errors: [], missingFields: [], excludedSeen: [] },
  });
  return {
    now: NOW,
    maxAgeHours: 26,
    roleCreated: present("2026-01-01T00:00:00.000Z"),
    logs: [
      { logType: "client", prefix: "client-logs", fact: present(log("client", "client-logs")) },
      { logType: "audit", prefix: "audit-logs", fact: present(log("audit", "audit-logs")) },
    ],
    cloudTrail: present({
      newest: {
        key: "AWSLogs/123456789012/CloudTrail/us-east-1/2026/06/01/x.json.gz",
        lastModified: minutesBefore(10),
        size: 900,
      },
      filesRead: 3,
      records: 40,
      bySource: { "codeartifact.amazonaws.com": 12, "s3.amazonaws.com": 28 },
      codeArtifact: { readOnly: 10, write: 2 },
      exportWrites: 4,
    }),
  };
}

/** A validation window of 24 intact hourly digests. */
export const healthyIntegrity = (): IntegrityReport => ({
  since: "2026-05-31T12:00:00.000Z",
  until: NOW,
  location: "s3://cloudsmith-acme-logs/cloudtrail/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/",
  digests: 24,
  backfillDigests: 0,
  signatures: { valid: 24, invalid: [] },
  unreadableDigests: [],
  chain: { gaps: [], breaks: [] },
  newestDigest: "2026-06-01T11:30:00Z",
  logFiles: {
    checked: 96,
    valid: 96,
    missing: [],
    modified: [],
    unreadable: [],
    tooLarge: [],
    outside: [],
    extra: [],
  },
});

/** Every pack's facts for a healthy deployment (delivery, integrity and the Cloudsmith API included). */
export function allPackFacts(input: ConfigInput = base): Facts {
  return {
    ...healthyFacts(input),
    delivery: present(healthyDelivery()),
    integrity: present(healthyIntegrity()),
    cloudsmithAuditLog: present({ org: "acme", ok: true, message: "the key can read the audit log of 'acme'" }),
  };
}

export const delivery = (f: Facts): DeliveryFacts => presentValue(f.delivery!);
/** Changes every prefix's delivery the same way (the rules report per prefix). */
export const eachLog = (f: Facts, change: (l: LogDelivery) => unknown): void => {
  for (const l of delivery(f).logs) change(presentValue(l.fact));
};
export const cloudTrailDelivery = (f: Facts): CloudTrailDelivery => presentValue(delivery(f).cloudTrail);
export const integrity = (f: Facts): IntegrityReport => presentValue(f.integrity!);
