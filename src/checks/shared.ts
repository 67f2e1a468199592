/** Small helpers more than one check pack uses. */

import { s3Uri } from "../aws/s3.js";
import { keyPrefix, trailBucketName } from "../config/derived.js";
import type { Config } from "../config/schema.js";

/** Why trail rules do not apply, or undefined when the config has a trail. */
export const trailOff = (cfg: Config): string | undefined =>
  cfg.cloudtrail.enabled ? undefined : "cloudtrail.enabled is false in the config";

/** Where the trail's files are: `s3://<trail bucket>/<prefix>`. */
export const trailFilesResource = (cfg: Config): string => s3Uri(trailBucketName(cfg), cfg.cloudtrail.prefix);

export const trailKeyPrefix = (cfg: Config): string => keyPrefix(cfg.cloudtrail.prefix);
