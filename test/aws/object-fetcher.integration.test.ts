/**
 * The direct GetObject path (src/aws/object-fetcher.ts) signs its own requests. The judge of a
 * signature here is not ours: the emulator with moto's request authentication turned on, which
 * recomputes each SigV4 signature with botocore and refuses a mismatch (SignatureDoesNotMatch),
 * and checks the caller's IAM policy. Every object but a bucket's first must come back through the
 * direct path (the counts say which path answered), byte for byte; a wrong secret must be refused
 * on both paths (so the judge is really judging); the SDK's own answer for a missing key and a
 * denied one is what the caller sees.
 */
import { gzipSync } from "node:zlib";
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClients } from "../../src/aws/clients.js";
import { ObjectFetcher } from "../../src/aws/object-fetcher.js";
import { ObjectTooLarge } from "../../src/aws/s3.js";
import { emulatorClients } from "../helpers/aws-sdk.js";
import { base, configOf } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";

const BUCKET = "fetcher-signed-reads";
const OTHER = "fetcher-not-allowed";
/**
 * Keys moto's checker can judge: it refuses even the SDK's own signature when a key holds
 * `+ = ! ' ( ) * ~ %` or non-ASCII (it recomputes from the decoded path). Those keys' encoding is
 * judged against the SDK's serializer instead (object-fetcher.test.ts).
 */
const KEYS = [
  "client-logs/2026-11-30T08/export.gz",
  "client-logs/with space/a b.log",
  "cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/30/123456789012_CloudTrail_us-east-1_20261130T0800Z_Ab12.json.gz",
  "client-logs/2026-11-30T09/export.log",
];
const body = (key: string) => (key.endsWith(".gz") ? gzipSync(`line for ${key}\n`) : Buffer.from(`line for ${key}\n`));

let emulator: Emulator;
let keys: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  emulator = await startEmulator();
  const { iam, s3 } = emulatorClients(emulator.endpoint);
  await iam.send(new CreateUserCommand({ UserName: "investigator" }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: "investigator",
      PolicyName: "read-logs",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }],
      }),
    }),
  );
  const made = (await iam.send(new CreateAccessKeyCommand({ UserName: "investigator" }))).AccessKey!;
  keys = { accessKeyId: made.AccessKeyId!, secretAccessKey: made.SecretAccessKey! };
  for (const b of [BUCKET, OTHER]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  for (const key of KEYS) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body(key) }));
  await s3.send(new PutObjectCommand({ Bucket: OTHER, Key: "a.log", Body: "x" }));
  // From here on the emulator authenticates every request: signature, then IAM policy.
  const res = await fetch(`${emulator.endpoint}/moto-api/reset-auth`, { method: "POST", body: "0" });
  expect(res.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await fetch(`${emulator.endpoint}/moto-api/reset-auth`, { method: "POST", body: "Infinity" }).catch(() => {});
  await emulator?.stop();
});

const fetcherWith = async (credentials: { accessKeyId: string; secretAccessKey: string }) => {
  const clients = await createClients(configOf(base), {
    endpointUrl: emulator.endpoint,
    region: "us-east-1",
    credentials,
  });
  return { clients, fetcher: new ObjectFetcher(clients) };
};

describe("direct GetObject, judged by moto's signature check", () => {
  it("every object after the bucket's first is read directly, byte for byte, and accepted", async () => {
    const { clients, fetcher } = await fetcherWith(keys);
    try {
      // The first, alone: it goes through the SDK and leaves the template.
      expect(await fetcher.get(BUCKET, KEYS[0]!, 2 ** 20)).toEqual(body(KEYS[0]!));
      const rest = await Promise.all(KEYS.slice(1).map((k) => fetcher.get(BUCKET, k, 2 ** 20)));
      expect(rest).toEqual(KEYS.slice(1).map(body));
      expect(fetcher.counts).toEqual({ direct: KEYS.length - 1, sdk: 1 });
    } finally {
      clients.destroy();
    }
  });

  it("a wrong secret is refused on both paths: the judge checks signatures", async () => {
    const { clients, fetcher } = await fetcherWith({ ...keys, secretAccessKey: `${keys.secretAccessKey}x` });
    try {
      await expect(fetcher.get(BUCKET, KEYS[0]!, 2 ** 20)).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
      // The template was kept from the refused request: the direct path is tried, refused, asked again.
      await expect(fetcher.get(BUCKET, KEYS[1]!, 2 ** 20)).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
      expect(fetcher.counts.direct).toBe(0);
    } finally {
      clients.destroy();
    }
  });

  it("a missing key is undefined and a denied read is the SDK's AccessDenied, naming the permission", async () => {
    const { clients, fetcher } = await fetcherWith(keys);
    try {
      await fetcher.get(BUCKET, KEYS[0]!, 2 ** 20);
      expect(await fetcher.get(BUCKET, "client-logs/never-written.log", 2 ** 20)).toBeUndefined();
      await expect(fetcher.get(OTHER, "a.log", 2 ** 20)).rejects.toMatchObject({
        name: "AccessDenied",
        $permission: "s3:GetObject",
      });
      // Larger than the caller's limit: refused on the direct path too, never asked again.
      await expect(fetcher.get(BUCKET, KEYS[1]!, 4)).rejects.toBeInstanceOf(ObjectTooLarge);
      // Through the SDK: the first read of each bucket, and the missing key (after its direct 404).
      expect(fetcher.counts).toEqual({ direct: 0, sdk: 3 });
    } finally {
      clients.destroy();
    }
  });
});
