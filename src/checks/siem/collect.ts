/**
 * Reads the SIEM hand-off as AWS holds it: each feed's queue and dead-letter queue (attributes,
 * policy, key), the bucket's notification configuration, the reader role with its policies and
 * boundary, and with --delivery the newest object under each prefix.
 */
import type { Clients } from "../../aws/clients.js";
import { listObjects } from "../../aws/s3.js";
import type { Config } from "../../config/schema.js";
import { absent, andThen, type Fact, present } from "../../engine/fact.js";
import { parsePolicyText } from "../../iam/policies/validate.js";
import { type SiemFeed, siemFeeds, siemOf } from "../../siem/feeds.js";
import { parsePolicy, Reader } from "../reader.js";
import { collectRolePolicies, managedPolicyDocument } from "../role-policies.js";
import type { FeedFacts, NotificationView, QueueKeyView, QueueView, SiemFacts } from "./facts.js";

const NO_QUEUE = ["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"];
/** Objects listed to find the newest under a prefix. */
const MAX_LISTED = 10_000;

async function readQueue(c: Clients, r: Reader, name: string, account: string): Promise<Fact<QueueView>> {
  const { mod, client } = await c.sqs();
  const url = await r.read(
    async () =>
      (await client.send(new mod.GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))).QueueUrl ??
      "",
    NO_QUEUE,
  );
  return andThen(url, (QueueUrl) =>
    r.read(async (): Promise<QueueView> => {
      const a =
        (await client.send(new mod.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes ?? {};
      const redrive = a.RedrivePolicy ? (JSON.parse(a.RedrivePolicy) as QueueView["redrive"]) : undefined;
      return {
        url: QueueUrl,
        arn: a.QueueArn ?? "",
        ...(a.Policy ? { policy: parsePolicyText(a.Policy, `the policy of queue ${name}`) } : {}),
        ...(a.KmsMasterKeyId ? { kmsMasterKeyId: a.KmsMasterKeyId } : {}),
        sqsManagedSse: a.SqsManagedSseEnabled === "true",
        ...(redrive ? { redrive: { ...redrive, maxReceiveCount: Number(redrive.maxReceiveCount) } } : {}),
        ...(a.MessageRetentionPeriod ? { retentionSeconds: Number(a.MessageRetentionPeriod) } : {}),
        visible: Number(a.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
    }, NO_QUEUE),
  );
}

async function readKey(c: Clients, r: Reader, keyId: string, region: string, account: string) {
  const { mod, client } = await c.kmsAny();
  // A bare alias or key id is resolved in the queue's account and region.
  const KeyId = /^arn:/.test(keyId)
    ? keyId
    : `arn:aws:kms:${region}:${account}:${keyId.startsWith("alias/") ? keyId : `key/${keyId}`}`;
  const described = await r.read(
    async () => (await client.send(new mod.DescribeKeyCommand({ KeyId }))).KeyMetadata,
    ["NotFoundException"],
  );
  return andThen(described, async (meta): Promise<Fact<QueueKeyView>> => {
    const manager = meta?.KeyManager ?? "unknown";
    const arn = meta?.Arn ?? KeyId;
    if (manager !== "CUSTOMER") return present({ arn, manager });
    const policy = await r.read(async () =>
      parsePolicy(
        (await client.send(new mod.GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }))).Policy,
        `the key policy of ${arn}`,
      ),
    );
    return present({ arn, manager, policy });
  });
}

async function readNotifications(c: Clients, r: Reader, bucket: string, account: string) {
  return r.read(async (): Promise<NotificationView[]> => {
    const res = await c.s3.send(
      new c.s3mod.GetBucketNotificationConfigurationCommand({ Bucket: bucket, ExpectedBucketOwner: account }),
    );
    const filterOf = (f: { Key?: { FilterRules?: Array<{ Name?: string; Value?: string }> } } | undefined) => {
      const rules = f?.Key?.FilterRules ?? [];
      const value = (name: string) => rules.find((x) => x.Name?.toLowerCase() === name)?.Value ?? "";
      return { prefix: value("prefix"), suffix: value("suffix") };
    };
    return [
      ...(res.QueueConfigurations ?? []).map((q) => ({
        id: q.Id,
        kind: "queue" as const,
        destination: q.QueueArn ?? "",
        events: q.Events ?? [],
        ...filterOf(q.Filter),
      })),
      ...(res.TopicConfigurations ?? []).map((q) => ({
        id: q.Id,
        kind: "topic" as const,
        destination: q.TopicArn ?? "",
        events: q.Events ?? [],
        ...filterOf(q.Filter),
      })),
      ...(res.LambdaFunctionConfigurations ?? []).map((q) => ({
        id: q.Id,
        kind: "lambda" as const,
        destination: q.LambdaFunctionArn ?? "",
        events: q.Events ?? [],
        ...filterOf(q.Filter),
      })),
    ];
  }, ["NoSuchBucket"]);
}

async function newestUnder(c: Clients, r: Reader, bucket: string, prefix: string) {
  return r
    .read(async () => {
      let newest: { key: string; lastModified: string } | undefined;
      for (const o of (await listObjects(c, bucket, prefix, { max: MAX_LISTED })).objects) {
        const at = o.lastModified?.toISOString() ?? "";
        if (!newest || at > newest.lastModified) newest = { key: o.key, lastModified: at };
      }
      return newest;
    }, ["NoSuchBucket"])
    .then((f) =>
      f.state === "present" && f.value === undefined
        ? absent<{ key: string; lastModified: string }>("nothing under the prefix yet")
        : (f as Fact<{ key: string; lastModified: string }>),
    );
}

async function readFeed(c: Clients, r: Reader, cfg: Config, feed: SiemFeed, delivery: boolean): Promise<FeedFacts> {
  const [queue, deadLetter, notifications] = await Promise.all([
    readQueue(c, r, feed.queueName, cfg.accountId),
    readQueue(c, r, feed.dlqName, cfg.accountId),
    readNotifications(c, r, feed.bucket, cfg.accountId),
  ]);
  const keyId = queue.state === "present" ? queue.value.kmsMasterKeyId : undefined;
  return {
    feed,
    queue,
    deadLetter,
    notifications,
    ...(keyId ? { key: await readKey(c, r, keyId, cfg.region, cfg.accountId) } : {}),
    ...(delivery
      ? {
          newest: await Promise.all(
            feed.prefixes.map(async (p) => ({
              prefix: p.prefix,
              object: await newestUnder(c, r, feed.bucket, p.prefix),
            })),
          ),
        }
      : {}),
  };
}

export async function collectSiem(c: Clients, cfg: Config, delivery: boolean): Promise<SiemFacts> {
  const r = new Reader();
  const RoleName = siemOf(cfg)!.reader.roleName;
  const role = await r.read(
    async () => (await c.iam.send(new c.iammod.GetRoleCommand({ RoleName }))).Role,
    ["NoSuchEntity", "NoSuchEntityException"],
  );
  const reader = await andThen(role, async (v) =>
    present({
      trust: parsePolicy(v?.AssumeRolePolicyDocument, "the reader role's trust policy"),
      ...(v?.PermissionsBoundary?.PermissionsBoundaryArn
        ? { permissionsBoundaryArn: v.PermissionsBoundary.PermissionsBoundaryArn }
        : {}),
      tags: Object.fromEntries((v?.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
    }),
  );
  const boundaryArn = reader.state === "present" ? reader.value.permissionsBoundaryArn : undefined;
  const [readerPolicies, readerBoundary, feeds] = await Promise.all([
    reader.state === "present" ? collectRolePolicies(c, r, RoleName) : Promise.resolve(reader as never),
    boundaryArn ? managedPolicyDocument(c, r, boundaryArn) : Promise.resolve(present(null)),
    Promise.all(siemFeeds(cfg).map((f) => readFeed(c, r, cfg, f, delivery))),
  ]);
  return { feeds, reader, readerPolicies, readerBoundary, delivery };
}
