import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { Construct } from "constructs";
import type { PolicyDocument } from "../../src/iam/policies/types.js";
import { stableJson } from "../../src/util/stable-json.js";

export interface LogBucketProps {
  readonly bucketName: string;
  /** The whole bucket policy: a bucket has exactly one, so callers compose the statements. */
  readonly policy: PolicyDocument;
  /** @default SSE-S3 (AES256); a key ARN switches to SSE-KMS with an S3 Bucket Key. */
  readonly kmsKeyArn?: string;
  /** @default true */
  readonly versioning?: boolean;
  /** Expire objects after `days`, one rule per named key prefix ("" = whole bucket). @default no expiry */
  readonly expiry?: { readonly days: number; readonly prefixes: Readonly<Record<string, string>> };
  /**
   * Evidence kept `days` (config `retention`): on a versioned bucket, an overwritten or deleted
   * version under each named prefix is kept that long, then removed; current versions are never
   * expired here. Prefixes the expiry already covers keep its rule. @default no rule
   */
  readonly retention?: { readonly days: number; readonly prefixes: Readonly<Record<string, string>> };
  /**
   * S3 Object Lock with a default retention on every new object: set when the bucket is created and
   * never turned off; versioning is forced on. @default no Object Lock
   */
  readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
}

/**
 * A private log bucket: bucket-owner-enforced ownership (ACLs disabled, so
 * bucket-owner-full-control uploads still succeed), all four Block Public
 * Access settings, default encryption, a TLS-only policy and versioning.
 */
export class LogBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    const versioning = props.versioning ?? true;
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      ...(props.objectLock ? { objectLockEnabled: true } : {}),
    });
    const bucket = this.bucket.id;

    const ownership = new S3BucketOwnershipControls(this, "ownership", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public_access_block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        props.kmsKeyArn
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    const versioned =
      versioning || props.objectLock
        ? new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } })
        : undefined;
    if (props.objectLock)
      new S3BucketObjectLockConfigurationA(this, "object_lock", {
        bucket,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
        dependsOn: versioned ? [versioned] : [],
      });
    const expiring = Object.values(props.expiry?.prefixes ?? {});
    const rules = [
      ...Object.entries(props.expiry?.prefixes ?? {}).map(([name, prefix]) => ({
        id: `expire-${name}`,
        status: "Enabled",
        filter: [{ prefix }],
        expiration: [{ days: props.expiry!.days }],
        ...(versioning ? { noncurrentVersionExpiration: [{ noncurrentDays: props.expiry!.days }] } : {}),
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      })),
      ...(versioning && props.retention
        ? Object.entries(props.retention.prefixes)
            .filter(([, prefix]) => !expiring.some((e) => prefix.startsWith(e)))
            .map(([name, prefix]) => ({
              id: `retain-${name}`,
              status: "Enabled",
              filter: [{ prefix }],
              noncurrentVersionExpiration: [{ noncurrentDays: props.retention!.days }],
              abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
            }))
        : []),
    ];
    if (rules.length > 0) {
      new S3BucketLifecycleConfiguration(this, "lifecycle", {
        bucket,
        rule: rules,
        // Lifecycle rules on a versioned bucket must wait for versioning.
        dependsOn: versioned ? [versioned] : [],
      });
    }
    // Applied after Block Public Access and ownership so a policy never lands on a half-configured bucket.
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket,
      policy: stableJson(props.policy),
      dependsOn: [publicAccess, ownership],
    });
  }
}
