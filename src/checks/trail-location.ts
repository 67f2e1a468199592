/**
 * Which trail's files the delivery and integrity checks read, and where: our
 * own trail's from the config (mode create), an existing trail's from
 * CloudTrail GetTrail (mode existing). An organization trail writes under
 * AWSLogs/<organization id>/<account>/: the id comes from the config, else
 * from the bucket's own layout. GetTrailStatus adds when CloudTrail last
 * delivered a digest (the integrity check's tail must reach it).
 */

import type { Clients } from "../aws/clients.js";
import { describeError } from "../aws/describe-error.js";
import { s3Uri } from "../aws/s3.js";
import type { TrailLocation } from "../cloudtrail/layout.js";
import { trailArn, trailBucketName, trailHome, trailName } from "../config/derived.js";
import type { Config } from "../config/schema.js";

export interface ResolvedTrail {
  location: TrailLocation;
  /** LogFileValidationEnabled, when GetTrail could be read. */
  validationOn?: boolean;
  latestDigestDelivery?: Date;
  /** When logging last started (GetTrailStatus StartLoggingTime). */
  startedLogging?: Date;
  organizationTrail: boolean;
}

const trimSlash = (p: string): string => p.replace(/\/+$/, "");

/** The organization folder under `[prefix/]AWSLogs/`, when exactly one exists. */
async function organizationFolder(c: Clients, bucket: string, prefix: string): Promise<string | undefined> {
  const res = await c.s3.send(
    new c.s3mod.ListObjectsV2Command({
      Bucket: bucket,
      Prefix: `${prefix ? `${prefix}/` : ""}AWSLogs/`,
      Delimiter: "/",
      MaxKeys: 1000,
    }),
  );
  const orgs = (res.CommonPrefixes ?? [])
    .map((p) => /AWSLogs\/(o-[a-z0-9]{10,32})\/$/.exec(p.Prefix ?? "")?.[1])
    .filter((x): x is string => x !== undefined);
  return orgs.length === 1 ? orgs[0] : undefined;
}

export async function resolveTrail(c: Clients, cfg: Config): Promise<ResolvedTrail> {
  const arn = trailArn(cfg);
  const home = trailHome(cfg);
  const readTrail = async () => {
    try {
      return (await c.cloudtrail.send(new c.ctmod.GetTrailCommand({ Name: arn }))).Trail;
    } catch (e) {
      if (cfg.cloudtrail.mode === "create") return undefined; // the config says where; the trail rules report the rest
      throw new Error(
        `could not read the trail ${arn} (cloudtrail:GetTrail, from account ${cfg.accountId}): ${describeError(e)}`,
      );
    }
  };
  const readStatus = async () => {
    try {
      return await c.cloudtrail.send(new c.ctmod.GetTrailStatusCommand({ Name: arn }));
    } catch {
      return undefined; // without it, the tail is judged against the current time
    }
  };
  const [trail, status] = await Promise.all([readTrail(), readStatus()]);
  const base = {
    validationOn: trail?.LogFileValidationEnabled,
    ...(status?.LatestDigestDeliveryTime ? { latestDigestDelivery: status.LatestDigestDeliveryTime } : {}),
    ...(status?.StartLoggingTime ? { startedLogging: status.StartLoggingTime } : {}),
  };
  if (cfg.cloudtrail.mode === "create") {
    return {
      ...base,
      organizationTrail: false,
      location: {
        bucket: trailBucketName(cfg),
        prefix: trimSlash(cfg.cloudtrail.prefix),
        accountId: cfg.accountId,
        trailName: trailName(cfg),
        homeRegion: home.region,
        region: cfg.region,
      },
    };
  }
  const bucket = trail?.S3BucketName;
  if (!bucket) throw new Error(`the trail ${arn} names no S3 bucket`);
  const prefix = trimSlash(trail?.S3KeyPrefix ?? "");
  const organizationTrail = trail?.IsOrganizationTrail === true;
  let organizationId: string | undefined;
  if (organizationTrail) {
    organizationId = cfg.cloudtrail.organizationId;
    if (!organizationId) {
      try {
        organizationId = await organizationFolder(c, bucket, prefix);
      } catch (e) {
        throw new Error(
          `the organization trail delivers to ${s3Uri(bucket)}, which account ${cfg.accountId} cannot list (s3:ListBucket; the bucket is usually in the log archive account): ${describeError(e)}`,
        );
      }
    }
    if (!organizationId)
      throw new Error(
        `cannot tell the organization folder under ${s3Uri(bucket, `${prefix ? `${prefix}/` : ""}AWSLogs/`)}: set cloudtrail.organizationId`,
      );
  }
  return {
    ...base,
    organizationTrail,
    location: {
      bucket,
      prefix,
      accountId: cfg.accountId,
      ...(organizationId ? { organizationId } : {}),
      trailName: trailName(cfg),
      homeRegion: trail?.HomeRegion ?? home.region,
      region: trail?.HomeRegion ?? home.region,
    },
  };
}
