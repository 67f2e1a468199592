/** Rule tables for the CloudTrail trail: facts each rule must pass, and facts it must not. */
import { absent, failed, present } from "../../../../src/engine/fact.js";
import { base } from "../../../helpers/configs.js";
import { bucketPolicy, healthyFacts, selectors, trail } from "../../../helpers/facts.js";
import type { AreaTables } from "../../../helpers/rule-table.js";

export const TABLES: AreaTables = {
  "trail.exists": {
    valid: [{ name: "exists" }],
    invalid: [
      { name: "missing", mutate: (f) => (f.trail = absent("TrailNotFoundException")), expect: "FAIL" },
      { name: "other home region", mutate: (f) => (trail(f).homeRegion = "eu-west-1"), expect: "FAIL" },
      {
        name: "trail off in config",
        facts: () => healthyFacts({ ...base, cloudtrail: { mode: "none" } }),
        expect: "SKIPPED",
      },
      { name: "unreadable", mutate: (f) => (f.trail = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "trail.logging": {
    valid: [{ name: "logging" }],
    invalid: [
      { name: "stopped", mutate: (f) => (f.trailStatus = present({ isLogging: false })), expect: "FAIL" },
      { name: "status unreadable", mutate: (f) => (f.trailStatus = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "trail.multi-region": {
    valid: [{ name: "multi" }],
    invalid: [
      { name: "single", mutate: (f) => (trail(f).isMultiRegionTrail = false), expect: "FAIL" },
      {
        name: "config opts out",
        facts: () => healthyFacts({ ...base, cloudtrail: { multiRegion: false } }),
        expect: "SKIPPED",
      },
    ],
  },
  "trail.global-events": {
    valid: [{ name: "on" }],
    invalid: [
      { name: "off", mutate: (f) => (trail(f).includeGlobalServiceEvents = false), expect: "FAIL" },
      { name: "trail unreadable", mutate: (f) => (f.trail = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "trail.log-validation": {
    valid: [{ name: "on" }],
    invalid: [
      { name: "off", mutate: (f) => (trail(f).logFileValidationEnabled = false), expect: "FAIL" },
      { name: "unreadable", mutate: (f) => (f.trail = failed("throttled")), expect: "ERROR" },
      { name: "trail unreadable", mutate: (f) => (f.trail = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "trail.management-events": {
    valid: [
      { name: "advanced all" },
      {
        name: "basic All",
        mutate: (f) =>
          (f.eventSelectors = present({
            basic: [{ readWriteType: "All", includeManagementEvents: true }],
            advanced: [],
          })),
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
      },
    ],
    invalid: [
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
        mutate: (f) => selectors(f).advanced[0]!.fieldSelectors.push({ field: "readOnly", equals: ["false"] }),
        expect: "FAIL",
      },
      {
        name: "advanced excludes codeartifact",
        mutate: (f) =>
          selectors(f).advanced[0]!.fieldSelectors.push({
            field: "eventSource",
            notEquals: ["codeartifact.amazonaws.com"],
          }),
        expect: "FAIL",
      },
      {
        name: "no management selector",
        mutate: (f) => (selectors(f).advanced = selectors(f).advanced.slice(1)),
        expect: "FAIL",
      },
      { name: "unreadable", mutate: (f) => (f.eventSelectors = failed("AccessDenied")), expect: "ERROR" },
      {
        name: "downloads filtered out by eventName",
        mutate: (f) =>
          selectors(f).advanced[0]!.fieldSelectors.push({ field: "eventName", notEquals: ["ReadFromRepository"] }),
        expect: "FAIL",
      },
      {
        name: "a field this check does not model: undecided",
        mutate: (f) => selectors(f).advanced[0]!.fieldSelectors.push({ field: "errorCode", equals: ["AccessDenied"] }),
        expect: "ERROR",
      },
    ],
  },
  "trail.destination": {
    valid: [{ name: "configured" }],
    invalid: [
      { name: "other bucket", mutate: (f) => (trail(f).s3BucketName = "other"), expect: "FAIL" },
      { name: "other prefix", mutate: (f) => (trail(f).s3KeyPrefix = "ct"), expect: "FAIL" },
      { name: "trail unreadable", mutate: (f) => (f.trail = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "trail.bucket-policy": {
    valid: [
      { name: "as generated" },
      {
        name: "written differently: one statement per need with ArnLike and aws:SourceAccount",
        mutate: (f) => {
          const w = bucketPolicy(f).Statement.find((x) => x.Sid === "AWSCloudTrailWrite")!;
          w.Sid = "Write";
          w.Condition = {
            StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:123456789012:trail/cloudsmith-log-export" },
          };
        },
      },
    ],
    invalid: [
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
      {
        name: "write granted without the bucket-owner-full-control condition but scoped: still delivers",
        mutate: (f) =>
          (bucketPolicy(f).Statement.find((x) => x.Sid === "AWSCloudTrailWrite")!.Condition = {
            StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:999999999999:trail/elsewhere" },
          }),
        expect: "FAIL",
      },
      {
        name: "a Deny on writes without SSE-KMS headers blocks CloudTrail's SSE-S3 delivery",
        mutate: (f) =>
          bucketPolicy(f).Statement.push({
            Sid: "RequireKms",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
            Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
          }),
        expect: "FAIL",
      },
      { name: "no policy", mutate: (f) => (f.exportBucket.policy = absent("NoSuchBucketPolicy")), expect: "FAIL" },
      { name: "unreadable", mutate: (f) => (f.exportBucket.policy = failed("AccessDenied")), expect: "ERROR" },
      {
        name: "an existing organization trail's bucket in the log archive account, unreadable",
        facts: () => {
          const f = healthyFacts({
            ...base,
            cloudtrail: { mode: "existing", trailArn: "arn:aws:cloudtrail:us-east-1:999988887777:trail/org" },
          });
          f.trailBucket = { ...f.exportBucket, name: "org-archive-logs", policy: failed("AccessDenied") };
          trail(f).s3BucketName = "org-archive-logs";
          trail(f).isOrganizationTrail = true;
          return f;
        },
        expect: "ERROR",
      },
    ],
  },
  "trail.delivery-errors": {
    valid: [{ name: "none" }],
    invalid: [
      { name: "error", mutate: (f) => (f.trailDeliveryError = present("AccessDenied")), expect: "FAIL" },
      { name: "unreadable", mutate: (f) => (f.trailDeliveryError = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
  "trail.s3-data-events": {
    valid: [
      { name: "prefixes" },
      {
        name: "bucket-wide selector",
        mutate: (f) =>
          (selectors(f).advanced[1]!.fieldSelectors[2] = {
            field: "resources.ARN",
            startsWith: ["arn:aws:s3:::cloudsmith-acme-logs/"],
          }),
      },
      { name: "all buckets", mutate: (f) => selectors(f).advanced[1]!.fieldSelectors.pop() },
      {
        name: "basic selector for all buckets (GovCloud)",
        // Configs refuse GovCloud (Cloudsmith cannot reach it); the rule still reads ARNs by partition.
        mutate: (f) => {
          f.config = { ...f.config, region: "us-gov-west-1" };
          f.eventSelectors = present({
            basic: [
              { readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws-us-gov:s3"] }] },
            ],
            advanced: [],
          });
        },
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
      },
      {
        name: "also filtered to exclude deletes (NotEquals)",
        mutate: (f) =>
          selectors(f).advanced[1]!.fieldSelectors.push({ field: "eventName", notEquals: ["DeleteObject"] }),
      },
      {
        name: "also filtered to the role's sessions (userIdentity.arn StartsWith)",
        mutate: (f) =>
          selectors(f).advanced[1]!.fieldSelectors.push({
            field: "userIdentity.arn",
            startsWith: ["arn:aws:sts::123456789012:assumed-role/CloudsmithLogsWriter/"],
          }),
      },
    ],
    invalid: [
      {
        name: "one prefix missing",
        mutate: (f) =>
          (selectors(f).advanced[1]!.fieldSelectors[2] = {
            field: "resources.ARN",
            startsWith: ["arn:aws:s3:::cloudsmith-acme-logs/client-logs/"],
          }),
        expect: "FAIL",
      },
      {
        name: "read-only data events",
        mutate: (f) => selectors(f).advanced[1]!.fieldSelectors.push({ field: "readOnly", equals: ["true"] }),
        expect: "FAIL",
      },
      {
        name: "no data selector",
        mutate: (f) => (selectors(f).advanced = selectors(f).advanced.slice(0, 1)),
        expect: "FAIL",
      },
      {
        name: "config opts out",
        facts: () => healthyFacts({ ...base, cloudtrail: { dataEvents: false } }),
        expect: "SKIPPED",
      },
      {
        name: "also filtered to GetObject (eventName)",
        mutate: (f) => selectors(f).advanced[1]!.fieldSelectors.push({ field: "eventName", equals: ["GetObject"] }),
        expect: "FAIL",
      },
      {
        name: "also filtered to another role (userIdentity.arn)",
        mutate: (f) =>
          selectors(f).advanced[1]!.fieldSelectors.push({
            field: "userIdentity.arn",
            startsWith: ["arn:aws:sts::123456789012:assumed-role/CI/"],
          }),
        expect: "FAIL",
      },
      {
        name: "a field this check does not model: undecided, never covered",
        mutate: (f) => selectors(f).advanced[1]!.fieldSelectors.push({ field: "vpcEndpointId", equals: ["vpce-1"] }),
        expect: "ERROR",
      },
      {
        // Cloudsmith's keys need not end in .gz: no key under the prefix is guaranteed to be recorded.
        name: "EndsWith over every object under a prefix: some keys are not recorded",
        mutate: (f) => selectors(f).advanced[1]!.fieldSelectors.push({ field: "resources.ARN", endsWith: [".gz"] }),
        expect: "FAIL",
      },
      {
        name: "NotEndsWith over every object under a prefix: the keys with that suffix are not recorded",
        mutate: (f) => selectors(f).advanced[1]!.fieldSelectors.push({ field: "resources.ARN", notEndsWith: [".tmp"] }),
        expect: "FAIL",
      },
    ],
  },
  "trail.kms": {
    valid: [{ name: "key set" }],
    invalid: [
      { name: "no key (advice)", mutate: (f) => delete trail(f).kmsKeyId, expect: "ADVICE" },
      { name: "trail unreadable", mutate: (f) => (f.trail = failed("AccessDenied")), expect: "ERROR" },
      {
        name: "no trail in the config",
        facts: () => healthyFacts({ ...base, cloudtrail: { mode: "none" } }),
        expect: "SKIPPED",
      },
    ],
  },
  "trail.cloudwatch-logs": {
    valid: [{ name: "set" }],
    invalid: [
      { name: "not set (advice)", mutate: (f) => delete trail(f).cloudWatchLogsLogGroupArn, expect: "ADVICE" },
      { name: "trail unreadable", mutate: (f) => (f.trail = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
};
