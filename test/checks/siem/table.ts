/**
 * Rule tables for `verify --siem`. Besides the policies synth writes, the queue policy and the key
 * policy S3 needs are also judged as AWS documents them:
 *
 * - Amazon S3 User Guide, "Walkthrough: Configuring a bucket for notifications (SNS topic or SQS
 *   queue)", step "Create an Amazon SQS queue": the access policy
 *   `{"Sid": "example-statement-ID", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
 *   "Action": ["SQS:SendMessage"], "Resource": "arn:aws:sqs:Region:account-id:queue-name",
 *   "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:*:*:awsexamplebucket1"},
 *   "StringEquals": {"aws:SourceAccount": "bucket-owner-account-id"}}}`.
 * - Amazon SQS Developer Guide, "Configure KMS permissions for AWS services" (S3 event
 *   notifications to an encrypted queue): the key policy statement
 *   `{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
 *   "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}`.
 */
import type { Facts } from "../../../src/checks/index.js";
import type { FeedFacts, NotificationView, QueueView, SiemFacts } from "../../../src/checks/siem/facts.js";
import type { ConfigInput } from "../../../src/config/schema.js";
import { absent, failed, present } from "../../../src/engine/fact.js";
import type { PolicyDocument } from "../../../src/iam/policies/types.js";
import { siemFeeds } from "../../../src/siem/feeds.js";
import { queuePolicy, readerPolicy, readerTrustPolicy } from "../../../src/siem/policies.js";
import { base, configOf } from "../../helpers/configs.js";
import { allPackFacts, presentValue } from "../../helpers/facts.js";
import type { AreaTables } from "../../helpers/rule-table.js";

const saas: ConfigInput = {
  ...base,
  siem: { reader: { principal: "arn:aws:iam::210987654321:root", externalId: "siem-ext-42" } },
};
const ownRole: ConfigInput = {
  ...base,
  siem: { reader: { principal: "arn:aws:iam::123456789012:role/elastic-agent" } },
};
const QUEUE_KEY = "arn:aws:kms:us-east-1:123456789012:key/5555abcd-12ab-34cd-56ef-1234567890ab";
const customerKey: ConfigInput = { ...saas, siem: { ...saas.siem!, kmsKeyArn: QUEUE_KEY } };

const queueOf = (f: Facts, i = 0): QueueView => presentValue(siemOf(f).feeds[i]!.queue);
const siemOf = (f: Facts): SiemFacts => presentValue(f.siem!);
const feedOf = (f: Facts, i = 0): FeedFacts => siemOf(f).feeds[i]!;

/** The hand-off exactly as synth makes it, read back whole, with a file under each prefix. */
function healthy(input: ConfigInput = saas): Facts {
  const f = allPackFacts(input);
  const cfg = configOf(input);
  const feeds = siemFeeds(cfg).map(
    (feed): FeedFacts => ({
      feed,
      queue: present({
        url: `https://sqs.us-east-1.amazonaws.com/${cfg.accountId}/${feed.queueName}`,
        arn: feed.queueArn,
        policy: queuePolicy(cfg, feed),
        ...(cfg.siem?.kmsKeyArn ? { kmsMasterKeyId: cfg.siem.kmsKeyArn } : {}),
        sqsManagedSse: !cfg.siem?.kmsKeyArn,
        redrive: { deadLetterTargetArn: feed.dlqArn, maxReceiveCount: 5 },
        retentionSeconds: 1_209_600,
        visible: 1,
        inFlight: 0,
      }),
      deadLetter: present({
        url: `https://sqs.us-east-1.amazonaws.com/${cfg.accountId}/${feed.dlqName}`,
        arn: feed.dlqArn,
        sqsManagedSse: true,
        retentionSeconds: 1_209_600,
        visible: 0,
        inFlight: 0,
      }),
      ...(cfg.siem?.kmsKeyArn
        ? {
            key: present({
              arn: cfg.siem.kmsKeyArn,
              manager: "CUSTOMER",
              policy: present(keyPolicy(cfg.accountId, true)),
            }),
          }
        : {}),
      notifications: present(
        feed.filters.map(
          (prefix): NotificationView => ({
            id: `n-${prefix}`,
            kind: "queue",
            destination: feed.queueArn,
            events: ["s3:ObjectCreated:*"],
            prefix,
            suffix: "",
          }),
        ),
      ),
      newest: feed.prefixes.map((p) => ({
        prefix: p.prefix,
        object: present({ key: `${p.prefix}2026/12/03/x.json.gz`, lastModified: "2026-12-03T01:00:00.000Z" }),
      })),
    }),
  );
  f.siem = present({
    feeds,
    reader: present({ trust: readerTrustPolicy(cfg), tags: {} }),
    readerPolicies: present([
      { name: "cloudsmith-log-export-siem-reader", kind: "inline", document: present(readerPolicy(cfg)) },
    ]),
    readerBoundary: present(null),
    delivery: true,
  });
  return f;
}

function keyPolicy(account: string, s3: boolean): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Account",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      // The SQS Developer Guide's statement, as quoted at the top of this file.
      ...(s3
        ? [
            {
              Effect: "Allow" as const,
              Principal: { Service: "s3.amazonaws.com" },
              Action: ["kms:GenerateDataKey", "kms:Decrypt"],
              Resource: "*",
            },
          ]
        : []),
    ],
  };
}

/** The S3 User Guide's example queue policy, for this queue, bucket and account. */
function documentedQueuePolicy(f: Facts): PolicyDocument {
  const feed = feedOf(f).feed;
  return {
    Version: "2012-10-17",
    Id: "example-ID",
    Statement: [
      {
        Sid: "example-statement-ID",
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: ["SQS:SendMessage"],
        Resource: feed.queueArn,
        Condition: {
          ArnLike: { "aws:SourceArn": `arn:aws:s3:*:*:${feed.bucket}` },
          StringEquals: { "aws:SourceAccount": f.config.accountId },
        },
      },
    ],
  } as PolicyDocument;
}

const readerDoc = (f: Facts): PolicyDocument => presentValue(presentValue(siemOf(f).readerPolicies)[0]!.document);
const noSiem = () => allPackFacts(base);

export const TABLES: AreaTables = {
  "siem.queue-policy": {
    valid: [
      { name: "the generated queue policy", facts: () => healthy() },
      {
        name: "the S3 User Guide's example policy (ArnLike aws:SourceArn, StringEquals aws:SourceAccount)",
        facts: () => healthy(),
        mutate: (f) => {
          queueOf(f).policy = documentedQueuePolicy(f);
        },
      },
    ],
    invalid: [
      {
        name: "no aws:SourceArn: S3 sends for any bucket of the account",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          const p = documentedQueuePolicy(f);
          delete (p.Statement as Array<{ Condition: Record<string, unknown> }>)[0]!.Condition.ArnLike;
          queueOf(f).policy = p;
        },
      },
      {
        name: "no aws:SourceAccount: a bucket of that name in another account can send",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          const p = documentedQueuePolicy(f);
          delete (p.Statement as Array<{ Condition: Record<string, unknown> }>)[0]!.Condition.StringEquals;
          queueOf(f).policy = p;
        },
      },
      {
        name: 'Principal {"AWS": "*"} with sqs:* (a common copy-paste)',
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          queueOf(f).policy = {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:*", Resource: feedOf(f).feed.queueArn },
            ],
          };
        },
      },
      {
        name: "no policy: S3 cannot send",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          delete queueOf(f).policy;
        },
      },
      {
        name: "a condition on the time of sending cannot be decided",
        expect: "ERROR",
        facts: () => healthy(),
        mutate: (f) => {
          const p = documentedQueuePolicy(f);
          (p.Statement as Array<{ Condition: Record<string, unknown> }>)[0]!.Condition.DateLessThan = {
            "aws:CurrentTime": "2027-01-01T00:00:00Z",
          };
          queueOf(f).policy = p;
        },
      },
      {
        name: "the queue could not be read",
        expect: "ERROR",
        facts: () => healthy(),
        mutate: (f) => void (feedOf(f).queue = failed("AccessDenied")),
      },
      { name: "no siem in the config", expect: "SKIPPED", facts: noSiem },
    ],
  },
  "siem.queue-encryption": {
    valid: [
      { name: "SSE-SQS", facts: () => healthy() },
      {
        name: "a customer key whose policy has the SQS Developer Guide's statement for S3",
        facts: () => healthy(customerKey),
      },
    ],
    invalid: [
      {
        name: "the AWS-managed aws/sqs key",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          queueOf(f).kmsMasterKeyId = "alias/aws/sqs";
          queueOf(f).sqsManagedSse = false;
        },
      },
      {
        name: "a key KMS describes as AWS-managed",
        expect: "FAIL",
        facts: () => healthy(customerKey),
        mutate: (f) => {
          feedOf(f).key = present({ arn: QUEUE_KEY, manager: "AWS" });
        },
      },
      {
        name: "a customer key whose policy does not let S3 use it",
        expect: "FAIL",
        facts: () => healthy(customerKey),
        mutate: (f) => {
          feedOf(f).key = present({
            arn: QUEUE_KEY,
            manager: "CUSTOMER",
            policy: present(keyPolicy("123456789012", false)),
          });
        },
      },
      {
        name: "no encryption",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          queueOf(f).sqsManagedSse = false;
        },
      },
      {
        name: "the key policy could not be read",
        expect: "ERROR",
        facts: () => healthy(customerKey),
        mutate: (f) => {
          feedOf(f).key = present({ arn: QUEUE_KEY, manager: "CUSTOMER", policy: failed("AccessDeniedException") });
        },
      },
      { name: "no siem in the config", expect: "SKIPPED", facts: noSiem },
    ],
  },
  "siem.notifications": {
    valid: [
      { name: "one notification per prefix", facts: () => healthy() },
      {
        name: "one for the whole bucket covers every prefix",
        facts: () => healthy(),
        mutate: (f) => {
          const n = presentValue(feedOf(f).notifications);
          feedOf(f).notifications = present([{ ...n[0]!, prefix: "" }]);
        },
      },
      {
        name: "the four kinds of ObjectCreated named one by one",
        facts: () => healthy(),
        mutate: (f) => {
          for (const n of presentValue(feedOf(f).notifications))
            n.events = [
              "s3:ObjectCreated:Put",
              "s3:ObjectCreated:Post",
              "s3:ObjectCreated:Copy",
              "s3:ObjectCreated:CompleteMultipartUpload",
            ];
        },
      },
    ],
    invalid: [
      {
        name: "a prefix without a notification",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          feedOf(f).notifications = present(
            presentValue(feedOf(f).notifications).filter((n) => n.prefix !== "audit-logs/"),
          );
        },
      },
      {
        name: "only PUT uploads are notified (multipart uploads are missed)",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          for (const n of presentValue(feedOf(f).notifications)) n.events = ["s3:ObjectCreated:Put"];
        },
      },
      {
        name: "a suffix filter",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          for (const n of presentValue(feedOf(f).notifications)) n.suffix = ".json";
        },
      },
      {
        name: "another tool's Lambda notification overlaps a prefix",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          presentValue(feedOf(f).notifications).push({
            kind: "lambda",
            destination: "arn:aws:lambda:us-east-1:123456789012:function:x",
            events: ["s3:ObjectCreated:Put"],
            prefix: "client-logs/2026/",
            suffix: "",
          });
        },
      },
      {
        name: "notifications to another queue only",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          for (const n of presentValue(feedOf(f).notifications))
            n.destination = "arn:aws:sqs:us-east-1:123456789012:other";
        },
      },
      {
        name: "the configuration could not be read",
        expect: "ERROR",
        facts: () => healthy(),
        mutate: (f) => void (feedOf(f).notifications = failed("AccessDenied")),
      },
      { name: "no siem in the config", expect: "SKIPPED", facts: noSiem },
    ],
  },
  "siem.dead-letter": {
    valid: [{ name: "redrive to the dead-letter queue after 5 receives", facts: () => healthy() }],
    invalid: [
      {
        name: "no redrive policy",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => void delete queueOf(f).redrive,
      },
      {
        name: "redrive to another queue",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) =>
          void (queueOf(f).redrive = {
            deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:x",
            maxReceiveCount: 5,
          }),
      },
      {
        name: "the dead-letter queue keeps messages for less time than the queue",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => void (presentValue(feedOf(f).deadLetter).retentionSeconds = 345_600),
      },
      {
        name: "the dead-letter queue does not exist",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => void (feedOf(f).deadLetter = absent("QueueDoesNotExist")),
      },
      {
        name: "the dead-letter queue could not be read",
        expect: "ERROR",
        facts: () => healthy(),
        mutate: (f) => void (feedOf(f).deadLetter = failed("AccessDenied")),
      },
      { name: "no siem in the config", expect: "SKIPPED", facts: noSiem },
    ],
  },
  "siem.reader-access": {
    valid: [
      { name: "the generated reader policy", facts: () => healthy() },
      { name: "with a customer key on the queues (decrypt through SQS)", facts: () => healthy(customerKey) },
    ],
    invalid: [
      {
        name: "the trail's prefix is missing from the policy",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          const st = (readerDoc(f).Statement as Array<{ Resource: string[] }>)[0]!;
          st.Resource = st.Resource.filter((r) => !r.includes("AWSLogs"));
        },
      },
      {
        name: "no sqs:ChangeMessageVisibility (the SIEM cannot extend a slow read)",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          const st = (readerDoc(f).Statement as Array<{ Action: string[] }>)[1]!;
          st.Action = st.Action.filter((a) => a !== "sqs:ChangeMessageVisibility");
        },
      },
      {
        name: "a customer key on the queues without kms:Decrypt",
        expect: "FAIL",
        facts: () => healthy(customerKey),
        mutate: (f) => {
          const doc = readerDoc(f);
          doc.Statement = (doc.Statement as Array<{ Sid?: string }>).filter(
            (s) => s.Sid !== "DecryptTheNotifications",
          ) as never;
        },
      },
      {
        name: "the reader's policies could not be read",
        expect: "ERROR",
        facts: () => healthy(),
        mutate: (f) => void (siemOf(f).readerPolicies = failed("AccessDenied")),
      },
      { name: "no siem in the config", expect: "SKIPPED", facts: noSiem },
    ],
  },
  "siem.reader-least-privilege": {
    valid: [
      { name: "the generated reader policy", facts: () => healthy() },
      {
        name: "also the harmless queue-attribute reads some SIEM inputs make",
        facts: () => healthy(),
        mutate: (f) => {
          const st = (readerDoc(f).Statement as Array<{ Action: string[] }>)[1]!;
          st.Action = [...st.Action, "sqs:GetQueueAttributes", "sqs:GetQueueUrl"];
        },
      },
    ],
    invalid: [
      {
        name: "s3:* on everything",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          (readerDoc(f).Statement as object[]).push({ Effect: "Allow", Action: "s3:*", Resource: "*" });
        },
      },
      {
        name: "sqs:SendMessage on the queue (forged notifications)",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          const st = (readerDoc(f).Statement as Array<{ Action: string[] }>)[1]!;
          st.Action = [...st.Action, "sqs:SendMessage"];
        },
      },
      {
        name: "reading the dead-letter queue too",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          const st = (readerDoc(f).Statement as Array<{ Resource: string[] }>)[1]!;
          st.Resource = [...st.Resource, feedOf(f).feed.dlqArn];
        },
      },
      {
        name: "the reader's policies could not be read",
        expect: "ERROR",
        facts: () => healthy(),
        mutate: (f) => void (siemOf(f).readerPolicies = failed("AccessDenied")),
      },
      { name: "no siem in the config", expect: "SKIPPED", facts: noSiem },
    ],
  },
  "siem.reader-trust": {
    valid: [
      { name: "a SaaS SIEM's account with its External ID", facts: () => healthy() },
      { name: "a collector role of your own, without an External ID", facts: () => healthy(ownRole) },
    ],
    invalid: [
      {
        name: "the SaaS SIEM without an External ID condition (confused deputy)",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          const t = presentValue(siemOf(f).reader).trust;
          delete (t.Statement as Array<{ Condition?: unknown }>)[0]!.Condition;
        },
      },
      {
        name: "a wildcard External ID",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => {
          const t = presentValue(siemOf(f).reader).trust;
          (t.Statement as Array<{ Condition?: unknown }>)[0]!.Condition = {
            StringLike: { "sts:ExternalId": "siem-*" },
          };
        },
      },
      {
        name: "another account trusted as well",
        expect: "FAIL",
        facts: () => healthy(ownRole),
        mutate: (f) => {
          const t = presentValue(siemOf(f).reader).trust;
          (t.Statement as unknown as Array<{ Principal: { AWS: string | string[] } }>)[0]!.Principal.AWS = [
            "arn:aws:iam::123456789012:role/elastic-agent",
            "arn:aws:iam::444455556666:root",
          ];
        },
      },
      {
        name: "the reader role does not exist",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => void (siemOf(f).reader = absent("NoSuchEntity")),
      },
      {
        name: "the reader role could not be read",
        expect: "ERROR",
        facts: () => healthy(),
        mutate: (f) => void (siemOf(f).reader = failed("AccessDenied")),
      },
      { name: "no siem in the config", expect: "SKIPPED", facts: noSiem },
    ],
  },
  "siem.delivery": {
    valid: [
      { name: "a notification waiting", facts: () => healthy() },
      {
        name: "the queue and its dead-letter queue empty: consumed",
        facts: () => healthy(),
        mutate: (f) => void (queueOf(f).visible = 0),
      },
    ],
    invalid: [
      {
        name: "notifications in the dead-letter queue",
        expect: "FAIL",
        facts: () => healthy(),
        mutate: (f) => void (presentValue(feedOf(f).deadLetter).visible = 3),
      },
      {
        name: "the queue could not be read",
        expect: "ERROR",
        facts: () => healthy(),
        mutate: (f) => void (feedOf(f).queue = failed("AccessDenied")),
      },
      {
        name: "without --delivery",
        expect: "SKIPPED",
        facts: () => healthy(),
        mutate: (f) => void (siemOf(f).delivery = false),
      },
      { name: "no siem in the config", expect: "SKIPPED", facts: noSiem },
    ],
  },
};
