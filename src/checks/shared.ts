/** Small helpers more than one check pack uses. */

import { s3Uri } from "../aws/s3.js";
import { bucketArn, keyPrefix, partition, trailArn, trailBucketName } from "../config/derived.js";
import type { Config } from "../config/schema.js";
import type { PermissionNeed } from "./pack.js";

/** Why trail rules do not apply, or undefined when the config has a trail (ours or an existing one). */
export const trailOff = (cfg: Config): string | undefined =>
  cfg.cloudtrail.mode === "none"
    ? "cloudtrail.mode is none: no audit trail is checked (CodeArtifact downloads and Cloudsmith's writes are not audited here)"
    : undefined;

/** Where the trail's files are: `s3://<trail bucket>/<prefix>` for ours, the trail's ARN for an existing one. */
export const trailFilesResource = (cfg: Config): string =>
  cfg.cloudtrail.mode === "create" ? s3Uri(trailBucketName(cfg), cfg.cloudtrail.prefix) : trailArn(cfg);

/** Our trail's key prefix with a trailing slash ("" for none). */
export const trailKeyPrefix = (cfg: Config): string => keyPrefix(cfg.cloudtrail.prefix);

/** Whether the config checks a trail (ours or an existing one). */
export const hasTrail = (cfg: Config): boolean => cfg.cloudtrail.mode !== "none";

/** The trail's bucket for a policy: ours by name; an existing trail's is read from GetTrail at run time (`*`). */
export const trailBucketForPolicy = (cfg: Config): string =>
  cfg.cloudtrail.mode === "create" ? trailBucketName(cfg) : "*";

/** The export bucket's ARN and, with a trail, the trail bucket's. */
export const bucketArns = (cfg: Config): string[] => [
  bucketArn(cfg),
  ...(hasTrail(cfg) ? [bucketArn(cfg, trailBucketForPolicy(cfg))] : []),
];

/** The trail's files for a policy: `arn:...:s3:::<bucket>/[prefix/]AWSLogs/*`. */
export const trailFilesArn = (cfg: Config): string => {
  const prefix = cfg.cloudtrail.mode === "create" ? keyPrefix(cfg.cloudtrail.prefix) : "*";
  return `arn:${partition(cfg)}:s3:::${trailBucketForPolicy(cfg)}/${prefix}AWSLogs/*`;
};

/** The trail's customer key, when it has one. */
export const trailKeys = (cfg: Config): string[] =>
  hasTrail(cfg) && cfg.cloudtrail.kmsKeyArn !== undefined ? [cfg.cloudtrail.kmsKeyArn] : [];

/** kms:Decrypt for what a pack reads through S3 (S3 decrypts SSE-KMS objects for the reader). */
export const decryptThroughS3 = (keys: (cfg: Config) => string[]): PermissionNeed => ({
  sid: "DecryptWhatItReads",
  operations: ["kms:Decrypt"],
  when: (cfg) => keys(cfg).length > 0,
  resources: keys,
  on: "the bucket's and the trail's KMS keys, through S3 only",
  why: "--delivery and --integrity on SSE-KMS objects (S3 decrypts for the reader)",
  condition: (cfg) => ({ StringEquals: { "kms:ViaService": `s3.${cfg.region}.amazonaws.com` } }),
});

/** s3:ListBucket on the buckets, for the packs that list what arrived. */
export const listBuckets: PermissionNeed = {
  sid: "ReadTheBuckets",
  operations: ["S3.ListObjectsV2"],
  resources: bucketArns,
  on: "the export bucket and the trail bucket",
  why: "--delivery and --integrity: the newest exports, log files and digests",
};

/** s3:GetObject on the trail's files, for the packs that read them. */
export const readTrailFiles: PermissionNeed = {
  sid: "ReadTrailFiles",
  operations: ["S3.GetObject"],
  when: hasTrail,
  resources: (cfg) => [trailFilesArn(cfg)],
  on: "CloudTrail files under `[prefix/]AWSLogs/`",
  why: "--delivery and --integrity: log files and digests (the role's and the trail's start come from the reads above)",
};

/** Why a pack that reads the deployed bucket refuses --static. */
export const LIVE_ONLY = "--delivery and --integrity read the deployed bucket; they do not combine with --static";
