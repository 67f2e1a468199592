import { type TerraformElement, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { type Construct, Node } from "constructs";
import {
  bucketArn,
  exportTargets,
  keyPrefix,
  retentionOf,
  trailBucketName,
  trailHasOwnBucket,
} from "../src/config/derived.js";
import { EXTERNAL_ID_PATTERN } from "../src/config/rules.js";
import type { Config } from "../src/config/schema.js";
import { exportArnPrefixes } from "../src/config/trail-selector.js";
import {
  expectedExportBucketPolicy,
  expectedTrailBucketPolicy,
  expectedTrustPolicy,
  expectedWriterPolicy,
  policy,
  tlsOnlyStatement,
} from "../src/iam/policies/index.js";
import { namedQueries } from "../src/query/named-queries.js";
import { resultsBucket, tableSpecs } from "../src/query/tables.js";
import { siemFeeds, siemOf } from "../src/siem/feeds.js";
import { queuePolicy, readerPolicy, readerTrustPolicy } from "../src/siem/policies.js";
import { auditorPolicy, auditorTrustPolicy } from "../src/verify/auditor-policy.js";
import { AuditorRole } from "./constructs/auditor-role.js";
import { CloudsmithRole } from "./constructs/cloudsmith-role.js";
import { CloudTrailTrail } from "./constructs/cloudtrail-trail.js";
import { KmsWriterGrant } from "./constructs/kms-writer-grant.js";
import { LogBucket } from "./constructs/log-bucket.js";
import { QueryLayer } from "./constructs/query-layer.js";
import { SiemFeedQueues } from "./constructs/siem-feed.js";
import { SiemReaderRole } from "./constructs/siem-reader-role.js";
import { configureProvider } from "./provider.js";

export const STACK_NAME = "cloudsmith-log-export";
export const EXTERNAL_ID_VARIABLE = "cloudsmith_external_id";

export interface ExportStackProps {
  readonly config: Config;
}

/**
 * Everything Cloudsmith's log export and its audit trail need in one account:
 * the export bucket (unless it already exists), the writer role, and a trail.
 */
export class CloudsmithLogExportStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ExportStackProps) {
    super(scope, id);
    const cfg = props.config;
    configureProvider(this, cfg);

    const externalId = cfg.externalId ?? externalIdVariable(this).stringValue;
    const targets = exportTargets(cfg);
    const retention = retentionOf(cfg);
    const trailFiles = `${keyPrefix(cfg.cloudtrail.prefix)}AWSLogs/`;

    // Existing bucket: never managed here, and its policy is never overwritten.
    const exportBucket = cfg.bucket.existing
      ? undefined
      : new LogBucket(this, "export_bucket", {
          bucketName: cfg.bucket.name,
          policy: expectedExportBucketPolicy(cfg),
          kmsKeyArn: cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined,
          versioning: cfg.versioning,
          expiry: cfg.lifecycle && {
            days: cfg.lifecycle.expireAfterDays,
            prefixes: Object.fromEntries(targets.map((t) => [`${t.logType}-logs`, keyPrefix(t.prefix)])),
          },
          retention: retention && {
            days: retention.days,
            prefixes: Object.fromEntries([
              ...targets.map((t) => [`${t.logType}-logs`, keyPrefix(t.prefix)]),
              ...(cfg.cloudtrail.mode === "create" && !trailHasOwnBucket(cfg) ? [["trail", trailFiles]] : []),
            ]),
          },
        });

    const role = new CloudsmithRole(this, "cloudsmith", {
      roleName: cfg.roleName,
      trustPolicy: expectedTrustPolicy(cfg, externalId),
      writerPolicy: expectedWriterPolicy(cfg),
    });
    if (cfg.encryption.type === "SSE-KMS") {
      new KmsWriterGrant(this, "kms_writer", { keyArn: cfg.encryption.kmsKeyArn, granteeRoleArn: role.role.arn });
    }

    let trailArnOutput: string | undefined;
    let trailBucket: LogBucket | undefined;
    // An existing trail (mode existing) is never touched: synth prints the selector to add instead.
    if (cfg.cloudtrail.mode === "create") {
      trailBucket =
        exportBucket && !trailHasOwnBucket(cfg)
          ? exportBucket
          : new LogBucket(this, "trail_bucket", {
              bucketName: trailBucketName(cfg),
              policy: expectedTrailBucketPolicy(cfg),
              versioning: true,
              retention: retention && { days: retention.days, prefixes: { trail: trailFiles } },
              objectLock: retention?.objectLock && {
                mode: retention.objectLock === "compliance" ? "COMPLIANCE" : "GOVERNANCE",
                days: retention.days,
              },
            });
      const trail = new CloudTrailTrail(this, "cloudtrail", {
        name: cfg.cloudtrail.name,
        bucketName: trailBucket.bucket.bucket,
        keyPrefix: cfg.cloudtrail.prefix,
        multiRegion: cfg.cloudtrail.multiRegion,
        kmsKeyArn: cfg.cloudtrail.kmsKeyArn,
        dataEventArnPrefixes: cfg.cloudtrail.dataEvents ? exportArnPrefixes(cfg) : [],
        bucketPolicy: trailBucket.policy,
      });
      trailArnOutput = trail.trail.arn;
    }

    const siem = siemOf(cfg);
    if (siem) {
      const feeds = siemFeeds(cfg).map((feed, i) => {
        const bucket = feed.bucket === cfg.bucket.name ? exportBucket : trailBucket;
        return new SiemFeedQueues(this, i === 0 ? "siem" : `siem_${i}`, {
          feed,
          queuePolicy: queuePolicy(cfg, feed),
          kmsKeyArn: siem.kmsKeyArn,
          maxReceiveCount: siem.maxReceiveCount,
          messageRetentionSeconds: siem.messageRetentionDays * 86_400,
          visibilityTimeoutSeconds: siem.visibilityTimeoutSeconds,
          dependsOn: bucket ? [bucket.bucket, bucket.policy] : [],
        });
      });
      const reader = new SiemReaderRole(this, "siem_reader", {
        roleName: siem.reader.roleName,
        trustPolicy: readerTrustPolicy(cfg),
        policy: readerPolicy(cfg),
      });
      new TerraformOutput(this, "siem_queue_urls", {
        value: feeds.map((f) => f.queue.url),
        description: "Give these queues to the SIEM's S3-with-SQS input",
      });
      new TerraformOutput(this, "siem_reader_role_arn", {
        value: reader.role.arn,
        description: "The role the SIEM assumes",
      });
    }

    const athena = cfg.query?.athena;
    if (athena) {
      const results = resultsBucket(cfg, athena);
      const layer = new QueryLayer(this, "query", {
        database: athena.database,
        tables: tableSpecs(cfg, athena),
        workgroup: athena.workgroup,
        resultsBucket: results,
        resultsBucketPolicy: policy(tlsOnlyStatement(bucketArn(cfg, results))),
        resultsPrefix: athena.resultsPrefix,
        resultsExpireDays: athena.resultsExpireDays,
        bytesScannedCutoff: athena.bytesScannedCutoffMb * 1_000_000,
        accountId: cfg.accountId,
        kmsKeyArn: cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined,
        namedQueries: namedQueries(cfg, athena),
      });
      new TerraformOutput(this, "athena_workgroup", { value: layer.workgroup.name });
      new TerraformOutput(this, "athena_database", { value: layer.database.name });
    }

    new TerraformOutput(this, "role_arn", { value: role.role.arn, description: "Give this role to Cloudsmith" });
    new TerraformOutput(this, "role_name", { value: role.role.name });
    new TerraformOutput(this, "bucket_name", { value: exportBucket ? exportBucket.bucket.bucket : cfg.bucket.name });
    new TerraformOutput(this, "prefixes", {
      value: Object.fromEntries(targets.map((t) => [t.logType, t.prefix])),
      description: 'Export prefix per log type ("" = bucket root)',
    });
    if (trailArnOutput) new TerraformOutput(this, "trail_arn", { value: trailArnOutput });
    if (cfg.auditorRole) {
      const auditor = new AuditorRole(this, "auditor", {
        roleName: cfg.auditorRole.name,
        trustPolicy: auditorTrustPolicy(cfg),
        policy: auditorPolicy(cfg),
      });
      new TerraformOutput(this, "auditor_role_arn", {
        value: auditor.role.arn,
        description: "Role for cloudsmith-log-export verify in CI (read-only)",
      });
    }
    new TerraformOutput(this, "external_id", { value: externalId, sensitive: true });
  }

  /** Readable, stable resource names from the construct path (no hash suffixes). */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof Node ? element : element.node;
    return node.scopes
      .slice(2)
      .map((s) => s.node.id)
      .join("_")
      .replace(/[^A-Za-z0-9_]/g, "_");
  }
}

function externalIdVariable(scope: Construct): TerraformVariable {
  return new TerraformVariable(scope, EXTERNAL_ID_VARIABLE, {
    type: "string",
    nullable: false,
    // Not a password, but it guards the confused-deputy check: plans do not print it.
    sensitive: true,
    description: "External ID issued by Cloudsmith for this export (sent to you after you request the export)",
    validation: [
      {
        // RE2 caps repetition counts at 1000, so the length is checked apart from the characters.
        condition: `\${length(var.${EXTERNAL_ID_VARIABLE}) >= 2 && length(var.${EXTERNAL_ID_VARIABLE}) <= 1224 && can(regex("^[\\\\w+=,.@:/-]+$", var.${EXTERNAL_ID_VARIABLE}))}`,
        errorMessage: `The External ID is 2-1224 characters of letters, digits and + = , . @ : / _ - (pattern ${EXTERNAL_ID_PATTERN.source}).`,
      },
    ],
  });
}
