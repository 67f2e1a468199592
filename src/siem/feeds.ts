/**
 * What the SIEM hand-off is made of, from the config alone, so synth, the printed additions and
 * verify can never disagree: one feed per bucket (its queue, dead-letter queue and the key
 * prefixes S3 notifies about), and the reader's role.
 */
import { bucketArn, keyPrefix, partition, trailBucketName } from "../config/derived.js";
import type { Config } from "../config/schema.js";
import type { SiemConfig } from "../config/siem-schema.js";

export type FeedSource = "client" | "audit" | "trail";

export interface SiemFeed {
  bucket: string;
  bucketArn: string;
  /** Whether synth manages the bucket (and so writes its notification configuration). */
  managed: boolean;
  queueName: string;
  queueArn: string;
  dlqName: string;
  dlqArn: string;
  /** What lands where: a key prefix ("" = the whole bucket, else ending in '/') per source. */
  prefixes: Array<{ source: FeedSource; prefix: string }>;
  /** The notification filters: the prefixes with any covered by a shorter one left out (S3 refuses overlaps). */
  filters: string[];
}

/** The SIEM settings when the hand-off is on. */
export const siemOf = (cfg: Config): SiemConfig | undefined => (cfg.siem?.enabled ? cfg.siem : undefined);

/** The events a SIEM input reads: every way an object is created. */
export const SIEM_EVENTS = ["s3:ObjectCreated:*"] as const;

/** A queue name from a bucket name: letters, digits, '-' and '_' only (SQS), at most 80 characters. */
export const queueNameFor = (bucket: string, suffix: "-siem" | "-siem-dlq"): string =>
  `${bucket.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 80 - suffix.length)}${suffix}`;

/** Prefixes no other prefix of the list covers, sorted: what notifications can filter on without overlapping. */
export function disjointPrefixes(prefixes: readonly string[]): string[] {
  const unique = [...new Set(prefixes)].sort();
  return unique.filter((p) => !unique.some((q) => q !== p && p.startsWith(q)));
}

export function siemFeeds(cfg: Config): SiemFeed[] {
  if (!siemOf(cfg)) return [];
  const byBucket = new Map<string, { managed: boolean; prefixes: SiemFeed["prefixes"] }>();
  const add = (bucket: string, managed: boolean, source: FeedSource, prefix: string) => {
    const feed = byBucket.get(bucket) ?? { managed, prefixes: [] };
    feed.prefixes.push({ source, prefix });
    byBucket.set(bucket, feed);
  };
  for (const logType of ["client", "audit"] as const) {
    const lt = cfg.logTypes[logType];
    if (lt) add(cfg.bucket.name, !cfg.bucket.existing, logType, keyPrefix(lt.prefix));
  }
  // Our trail's bucket is always ours (the export bucket, or the trail bucket synth creates);
  // an existing trail's bucket belongs to whoever runs that trail.
  if (cfg.cloudtrail.mode === "create")
    add(trailBucketName(cfg), true, "trail", `${keyPrefix(cfg.cloudtrail.prefix)}AWSLogs/`);
  const queueArn = (name: string) => `arn:${partition(cfg)}:sqs:${cfg.region}:${cfg.accountId}:${name}`;
  return [...byBucket].map(([bucket, f]) => {
    const queueName = queueNameFor(bucket, "-siem");
    const dlqName = queueNameFor(bucket, "-siem-dlq");
    return {
      bucket,
      bucketArn: bucketArn(cfg, bucket),
      managed: f.managed,
      queueName,
      queueArn: queueArn(queueName),
      dlqName,
      dlqArn: queueArn(dlqName),
      prefixes: f.prefixes,
      filters: disjointPrefixes(f.prefixes.map((p) => p.prefix)),
    };
  });
}

/** The reader role's ARN. */
export const siemReaderArn = (cfg: Config): string =>
  `arn:${partition(cfg)}:iam::${cfg.accountId}:role/${siemOf(cfg)!.reader.roleName}`;

/** The account the SIEM's principal is in. */
export const readerAccountOf = (principal: string): string => /:iam::(\d{12}):/.exec(principal)![1]!;

/** The files the reader may read: `arn:...:s3:::bucket/prefix*` for each prefix of each feed. */
export const readableObjectArns = (cfg: Config): string[] =>
  siemFeeds(cfg).flatMap((f) => f.prefixes.map((p) => `${f.bucketArn}/${p.prefix}*`));
