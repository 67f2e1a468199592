/** A bucket's settings: existence, public access block, ownership, policy, request payment, encryption. */
import type { Clients } from "../../../../aws/clients.js";
import type { Config } from "../../../../config/schema.js";
import { parsePolicyText } from "../../../../iam/policies/validate.js";
import type { BucketFacts } from "../../facts.js";
import type { Reader } from "./reader.js";

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
  return { name, exists, publicAccessBlock, ownership, policy, requestPayer, encryption };
}
