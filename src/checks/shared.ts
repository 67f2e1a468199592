/** Small helpers more than one check pack uses. */

import { s3Uri } from "../aws/s3.js";
import { keyPrefix, trailArn, trailBucketName } from "../config/derived.js";
import type { Config } from "../config/schema.js";

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
