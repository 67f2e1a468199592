/**
 * Names and ARNs that follow from a config. Computed in one place so the
 * stacks, the hand-off message and the verifier can never disagree.
 */

import { checkBucketName, type Partition, partitionOf } from "./rules.js";
import type { Config, LogType } from "./schema.js";

/** Cloudsmith's AWS account: the only principal the role may trust. */
export const CLOUDSMITH_ACCOUNT_ID = "884446598447";

export interface ExportTarget {
  logType: LogType;
  /** Normalised prefix without a trailing '/'; "" = bucket root. */
  prefix: string;
  /** `arn:aws:s3:::bucket/prefix/*` (or `bucket/*` at the root). */
  objectArn: string;
}

export function partition(cfg: Pick<Config, "region">): Partition {
  return partitionOf(cfg.region) ?? "aws";
}

/** `prefix/` for a non-empty prefix, "" for the bucket root. */
export const keyPrefix = (prefix: string): string => (prefix === "" ? "" : `${prefix}/`);

export function exportTargets(cfg: Config): ExportTarget[] {
  const p = partition(cfg);
  const targets: ExportTarget[] = [];
  for (const logType of ["client", "audit"] as const) {
    const lt = cfg.logTypes[logType];
    if (!lt) continue;
    targets.push({
      logType,
      prefix: lt.prefix,
      objectArn: `arn:${p}:s3:::${cfg.bucket.name}/${keyPrefix(lt.prefix)}*`,
    });
  }
  return targets;
}

export const roleArn = (cfg: Config): string => `arn:${partition(cfg)}:iam::${cfg.accountId}:role/${cfg.roleName}`;

export const bucketArn = (cfg: Config, bucket = cfg.bucket.name): string => `arn:${partition(cfg)}:s3:::${bucket}`;

/**
 * Whether the trail delivers to a bucket of its own: when the export bucket is existing (never
 * ours to change), or when the trail's files are under Object Lock (the export prefixes never are:
 * Cloudsmith's uploads may not carry the checksum a locked bucket demands).
 */
export const trailHasOwnBucket = (cfg: Config): boolean =>
  cfg.bucket.existing || (cfg.cloudtrail.mode === "create" && cfg.retention?.objectLock !== undefined);

/** Where the trail delivers: the export bucket when we manage it, else a dedicated bucket. */
export function trailBucketName(cfg: Config): string {
  return trailHasOwnBucket(cfg) ? (cfg.cloudtrail.bucket ?? defaultTrailBucket(cfg.bucket.name)) : cfg.bucket.name;
}

/**
 * A valid name for the trail's own bucket, from the existing bucket's: `<name>-trail`, made to
 * follow today's naming rules (a legacy name such as Legacy_Bucket.2017 may break them), or
 * `cloudsmith-log-export-trail` when nothing of the name survives.
 */
export function defaultTrailBucket(existing: string): string {
  return derivedBucket(existing, "-trail");
}

/** `<name><suffix>` made to follow today's naming rules, or `cloudsmith-log-export<suffix>`. */
export function derivedBucket(existing: string, suffix: string): string {
  const base = existing
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/-{2,}/g, "-")
    .slice(0, 63 - suffix.length)
    .replace(/^[.-]+|[.-]+$/g, "");
  const candidate = `${base}${suffix}`;
  return base.length > 0 && checkBucketName(candidate).every((p) => p.severity !== "error")
    ? candidate
    : `cloudsmith-log-export${suffix}`;
}

/** The trail verify checks: ours (mode create) or the existing one's ARN. */
export const trailArn = (cfg: Config): string =>
  cfg.cloudtrail.mode === "existing" && cfg.cloudtrail.trailArn
    ? cfg.cloudtrail.trailArn
    : `arn:${partition(cfg)}:cloudtrail:${cfg.region}:${cfg.accountId}:trail/${cfg.cloudtrail.name}`;

/** The checked trail's name (the last part of an existing trail's ARN). */
export const trailName = (cfg: Config): string =>
  cfg.cloudtrail.mode === "existing" ? trailArn(cfg).split("/").pop()! : cfg.cloudtrail.name;

/** The checked trail's home region and owner account (the organization's management account for an organization trail). */
export const trailHome = (cfg: Config): { region: string; account: string } => {
  const [, , , region, account] = trailArn(cfg).split(":");
  return { region: region!, account: account! };
};

/** Whether this tool creates the trail (mode create). */
export const createsTrail = (cfg: Config): boolean => cfg.cloudtrail.mode === "create";

export const cloudsmithPrincipalArn = (cfg: Pick<Config, "region">): string =>
  `arn:${partition(cfg)}:iam::${CLOUDSMITH_ACCOUNT_ID}:root`;

/** The retention the config asks for, with its profile's minimums applied; undefined without one. */
export function retentionOf(
  cfg: Config,
): { days: number; immediateDays: number; profile?: string; objectLock?: "governance" | "compliance" } | undefined {
  const r = cfg.retention;
  if (!r) return undefined;
  const min = r.profile === "pci-dss" ? { days: 365, immediateDays: 90 } : { days: 1, immediateDays: 0 };
  const days = r.days ?? min.days;
  return {
    days,
    immediateDays: Math.min(days, r.immediateDays ?? min.immediateDays),
    ...(r.profile ? { profile: r.profile } : {}),
    ...(r.objectLock ? { objectLock: r.objectLock.mode } : {}),
  };
}
