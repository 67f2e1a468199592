/** A bucket's settings: existence, public access block, ownership, policy, request payment, encryption. */
import type { Clients } from "../../../../aws/clients.js";
import { trailBucketName } from "../../../../config/derived.js";
import type { Config } from "../../../../config/schema.js";
import { parsePolicyText } from "../../../../iam/policies/validate.js";
import type { Reader } from "../../../reader.js";
import type { BucketFacts, LifecycleRuleView, ObjectLockView } from "../../facts.js";

export async function collectBucket(c: Clients, r: Reader, cfg: Config, name: string): Promise<BucketFacts> {
  const Bucket = name;
  const notFound = ["NoSuchBucket"];
  const [exists, publicAccessBlock, ownership, policy, requestPayer, encryption] = await Promise.all([
    r.read(async () => {
      const { HeadBucketCommand } = c.s3mod;
      const res = await c.s3.send(new HeadBucketCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }));
      return { region: res.BucketRegion };
    }, ["NotFound", ...notFound]),
    r.read(async () => {
      const res = await c.s3.send(
        new c.s3mod.GetPublicAccessBlockCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }),
      );
      const p = res.PublicAccessBlockConfiguration ?? {};
      return {
        BlockPublicAcls: p.BlockPublicAcls === true,
        IgnorePublicAcls: p.IgnorePublicAcls === true,
        BlockPublicPolicy: p.BlockPublicPolicy === true,
        RestrictPublicBuckets: p.RestrictPublicBuckets === true,
      };
    }, ["NoSuchPublicAccessBlockConfiguration", ...notFound]),
    r.read(async () => {
      const res = await c.s3.send(
        new c.s3mod.GetBucketOwnershipControlsCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }),
      );
      const rule = res.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
      if (!rule) throw new Error("GetBucketOwnershipControls returned no rule");
      return rule;
    }, ["OwnershipControlsNotFoundError", ...notFound]),
    r.read(async () => {
      const res = await c.s3.send(new c.s3mod.GetBucketPolicyCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }));
      return parsePolicyText(res.Policy ?? "", "the bucket policy");
    }, ["NoSuchBucketPolicy", ...notFound]),
    r.read(async () => {
      const res = await c.s3.send(
        new c.s3mod.GetBucketRequestPaymentCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }),
      );
      // AWS always answers with a Payer; a reply without one is not evidence of anything.
      if (!res.Payer) throw new Error("GetBucketRequestPayment returned no Payer");
      return res.Payer as string;
    }, notFound),
    r.read(async () => {
      const res = await c.s3.send(
        new c.s3mod.GetBucketEncryptionCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }),
      );
      const rule = res.ServerSideEncryptionConfiguration?.Rules?.[0];
      const d = rule?.ApplyServerSideEncryptionByDefault;
      if (!d?.SSEAlgorithm) throw new Error("GetBucketEncryption returned no default rule");
      return {
        algorithm: d.SSEAlgorithm as string,
        kmsKeyId: d.KMSMasterKeyID,
        bucketKeyEnabled: rule?.BucketKeyEnabled === true,
      };
    }, ["ServerSideEncryptionConfigurationNotFoundError", ...notFound]),
  ]);
  const lifecycle =
    cfg.retention === undefined
      ? undefined
      : await r.read(async () => {
          const res = await c.s3.send(
            new c.s3mod.GetBucketLifecycleConfigurationCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }),
          );
          return (res.Rules ?? []).map(lifecycleRuleView);
        }, ["NoSuchLifecycleConfiguration", ...notFound]);
  // Only the trail's bucket is ever locked: the export bucket's lock is not read.
  const objectLock =
    cfg.retention?.objectLock === undefined || name !== trailBucketName(cfg)
      ? undefined
      : await r.read(async (): Promise<ObjectLockView> => {
          const res = await c.s3.send(
            new c.s3mod.GetObjectLockConfigurationCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }),
          );
          const d = res.ObjectLockConfiguration?.Rule?.DefaultRetention;
          return {
            enabled: res.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled",
            ...(d?.Mode ? { mode: d.Mode } : {}),
            ...(d?.Days ? { days: d.Days } : {}),
            ...(d?.Years ? { years: d.Years } : {}),
          };
        }, ["ObjectLockConfigurationNotFoundError", ...notFound]);
  return {
    name,
    exists,
    publicAccessBlock,
    ownership,
    policy,
    requestPayer,
    encryption,
    ...(lifecycle ? { lifecycle } : {}),
    ...(objectLock ? { objectLock } : {}),
  };
}

type SdkRule = import("@aws-sdk/client-s3").LifecycleRule;

/** S3's rule, with the filter's prefix found wherever the API puts it (Filter, Filter.And, legacy Prefix). */
export function lifecycleRuleView(rule: SdkRule): LifecycleRuleView {
  const f = rule.Filter;
  const and = f?.And;
  const narrowedBy = [
    ...(f?.Tag || (and?.Tags?.length ?? 0) > 0 ? ["tags"] : []),
    ...(f?.ObjectSizeGreaterThan !== undefined || and?.ObjectSizeGreaterThan !== undefined ? ["a minimum size"] : []),
    ...(f?.ObjectSizeLessThan !== undefined || and?.ObjectSizeLessThan !== undefined ? ["a maximum size"] : []),
  ];
  const date = (d: Date | undefined) => (d ? new Date(d).toISOString() : undefined);
  return {
    id: rule.ID ?? "(no id)",
    enabled: rule.Status === "Enabled",
    prefix: f?.Prefix ?? and?.Prefix ?? rule.Prefix ?? "",
    narrowedBy,
    ...(rule.Expiration?.Days !== undefined ? { expirationDays: rule.Expiration.Days } : {}),
    ...(rule.Expiration?.Date ? { expirationDate: date(rule.Expiration.Date) } : {}),
    ...(rule.NoncurrentVersionExpiration?.NoncurrentDays !== undefined
      ? { noncurrentDays: rule.NoncurrentVersionExpiration.NoncurrentDays }
      : {}),
    noncurrentTransitions: (rule.NoncurrentVersionTransitions ?? []).map((t) => ({
      ...(t.NoncurrentDays !== undefined ? { days: t.NoncurrentDays } : {}),
      storageClass: String(t.StorageClass ?? ""),
    })),
    transitions: (rule.Transitions ?? []).map((t) => ({
      ...(t.Days !== undefined ? { days: t.Days } : {}),
      ...(t.Date ? { date: date(t.Date) } : {}),
      storageClass: String(t.StorageClass ?? ""),
    })),
  };
}
