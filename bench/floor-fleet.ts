/**
 * The floor of a fleet run, measured: for each of N configs, at verify's concurrency, the reads
 * verify's facts need (assume the account's role; the role, its policy lists, the bucket's six
 * settings and the trail's three; then the inline policies the list names) with every independent
 * read in parallel and nothing evaluated. The same requests reach the same emulator, so what remains
 * between the two sides is verify's own work and waiting. Prints "<configs> <requests>".
 *   node dist/bench/floor-fleet.js ENDPOINT N CONCURRENCY ROLE_ARN WRITER_ROLE BUCKET TRAIL
 */
import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

const [endpoint, n, concurrency, roleArn, RoleName, Bucket, Name] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const base = { endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
let requests = 0;
const counted = <T>(p: Promise<T>): Promise<T> => {
  requests++;
  return p;
};

async function one(): Promise<void> {
  const sts = new STSClient(base);
  const c = (await counted(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "floor" }))))
    .Credentials!;
  sts.destroy();
  const as = {
    ...base,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
  };
  const iam = new IAMClient(as);
  const s3 = new S3Client({ ...as, forcePathStyle: true });
  const ct = new CloudTrailClient(as);
  const names = counted(iam.send(new ListRolePoliciesCommand({ RoleName }))).then((r) =>
    Promise.all(
      (r.PolicyNames ?? []).map((PolicyName) => counted(iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })))),
    ),
  );
  await Promise.all([
    names,
    counted(iam.send(new GetRoleCommand({ RoleName }))),
    counted(iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))),
    counted(s3.send(new HeadBucketCommand({ Bucket }))),
    counted(s3.send(new GetBucketPolicyCommand({ Bucket }))),
    counted(s3.send(new GetBucketEncryptionCommand({ Bucket }))),
    counted(s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))),
    counted(s3.send(new GetPublicAccessBlockCommand({ Bucket }))),
    counted(s3.send(new GetBucketRequestPaymentCommand({ Bucket }))),
    counted(ct.send(new GetTrailCommand({ Name }))),
    counted(ct.send(new GetTrailStatusCommand({ Name }))),
    counted(ct.send(new GetEventSelectorsCommand({ TrailName: Name }))),
  ]);
  for (const client of [iam, s3, ct]) client.destroy();
}

let next = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < Number(n)) {
      next++;
      await one();
    }
  }),
);
process.stdout.write(`${n} ${requests}\n`);
