/**
 * The SIEM hand-off's policies: who may send to each queue (S3, for this bucket and account only),
 * who may assume the reader role, and what the reader may do (read the log files, consume the
 * queue, decrypt what it needs). Amazon S3 User Guide, "Granting permissions to publish event
 * notification messages to a destination"; Amazon SQS Developer Guide, "Configure KMS permissions
 * for AWS services".
 */
import type { Config } from "../config/schema.js";
import { type PolicyDocument, policy, type Statement } from "../iam/policies/types.js";
import { readableObjectArns, type SiemFeed, siemFeeds, siemOf } from "./feeds.js";

/** What the reader does with the queue: receive, delete when done, extend the visibility while reading. */
export const READER_QUEUE_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"];
/** Reads of the queue's own settings some SIEM inputs make; harmless, so verify tolerates them. */
export const READER_QUEUE_METADATA = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"];

export const QUEUE_POLICY_SID = "S3SendsThisBucketsNotifications";

/** The queue's policy: S3 may send, on behalf of this bucket in this account only. */
export function queuePolicy(cfg: Config, feed: SiemFeed): PolicyDocument {
  return policy({
    Sid: QUEUE_POLICY_SID,
    Effect: "Allow",
    Principal: { Service: "s3.amazonaws.com" },
    Action: "sqs:SendMessage",
    Resource: feed.queueArn,
    Condition: {
      ArnEquals: { "aws:SourceArn": feed.bucketArn },
      StringEquals: { "aws:SourceAccount": cfg.accountId },
    },
  });
}

/** The statement a customer key of the queues needs so S3 can encrypt notifications (printed, never written). */
export const S3_QUEUE_KEY_STATEMENT: Statement = {
  Sid: "S3EncryptsSiemNotifications",
  Effect: "Allow",
  Principal: { Service: "s3.amazonaws.com" },
  Action: ["kms:GenerateDataKey", "kms:Decrypt"],
  Resource: "*",
};

/** The reader role's trust: the SIEM's principal only, with its External ID when it has one. */
export function readerTrustPolicy(cfg: Config): PolicyDocument {
  const r = siemOf(cfg)!.reader;
  return policy({
    Sid: "SiemAssumesTheReader",
    Effect: "Allow",
    Principal: { AWS: r.principal },
    Action: "sts:AssumeRole",
    ...(r.externalId !== undefined ? { Condition: { StringEquals: { "sts:ExternalId": r.externalId } } } : {}),
  });
}

/** The keys S3 decrypts the log files with for the reader. */
export const logFileKeys = (cfg: Config): string[] =>
  [
    ...(cfg.encryption.type === "SSE-KMS" ? [cfg.encryption.kmsKeyArn] : []),
    ...(cfg.cloudtrail.mode === "create" && cfg.cloudtrail.kmsKeyArn ? [cfg.cloudtrail.kmsKeyArn] : []),
  ].sort();

/** The reader's permissions: exactly what a SIEM's S3-with-SQS input does. */
export function readerPolicy(cfg: Config): PolicyDocument {
  const siem = siemOf(cfg)!;
  const feeds = siemFeeds(cfg);
  const statements: Statement[] = [
    { Sid: "ReadTheLogFiles", Effect: "Allow", Action: "s3:GetObject", Resource: readableObjectArns(cfg) },
    {
      Sid: "ConsumeTheNotifications",
      Effect: "Allow",
      Action: READER_QUEUE_ACTIONS,
      Resource: feeds.map((f) => f.queueArn),
    },
  ];
  const fileKeys = logFileKeys(cfg);
  if (fileKeys.length > 0)
    statements.push({
      Sid: "DecryptTheLogFiles",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: fileKeys,
      Condition: { StringEquals: { "kms:ViaService": `s3.${cfg.region}.amazonaws.com` } },
    });
  if (siem.kmsKeyArn)
    statements.push({
      Sid: "DecryptTheNotifications",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: siem.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `sqs.${cfg.region}.amazonaws.com` } },
    });
  return policy(...statements);
}

/** An existing bucket's notification configuration entries to add (the bucket's own configuration is never written). */
export function notificationAdditions(feed: SiemFeed): Array<Record<string, unknown>> {
  return feed.filters.map((prefix) => ({
    Id: `cloudsmith-log-export-siem${prefix === "" ? "" : `-${prefix.replace(/[^A-Za-z0-9-]/g, "-").replace(/-+$/, "")}`}`,
    QueueArn: feed.queueArn,
    Events: ["s3:ObjectCreated:*"],
    ...(prefix === "" ? {} : { Filter: { Key: { FilterRules: [{ Name: "prefix", Value: prefix }] } } }),
  }));
}
