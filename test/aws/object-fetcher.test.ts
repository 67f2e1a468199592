/**
 * The direct GetObject path builds each request from the SDK's first one: its path must be the one
 * the SDK's own serializer would send for that key, whatever the key holds. The judge is the SDK
 * (its S3 serializer and endpoint rules), asked for the same keys here with the network cut off.
 */
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { encodeKeyPath, templateFrom } from "../../src/aws/object-fetcher.js";

const KEYS = [
  "client-logs/2026-11-30T08/export.gz",
  "client-logs/with space/a+b=c.log",
  "client-logs/paren(1)!'*.log",
  "client-logs/ünïcødé/日本.log",
  "client-logs/tilde~and%percent.log",
  "client-logs//double/slash.log",
  "client-logs/question?hash#.log",
  "client-logs/semi;colon:at@dollar$comma,.log",
];

class Captured extends Error {
  constructor(readonly request: never) {
    super("captured");
  }
}

/** The request the SDK would send for the key, caught after signing and before the network. */
async function sdkRequest(client: S3Client, bucket: string, key: string) {
  const cmd = new GetObjectCommand({ Bucket: bucket, Key: key });
  cmd.middlewareStack.add(
    () => async (args) => {
      throw new Captured(args.request as never);
    },
    { step: "finalizeRequest", priority: "low", name: "capture" },
  );
  try {
    await client.send(cmd);
  } catch (e) {
    if (e instanceof Captured) return e.request as { path: string; hostname: string; headers: Record<string, string> };
    throw e;
  }
  throw new Error("the SDK sent the request");
}

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const CLIENTS: Array<[string, S3Client, string]> = [
  [
    "a bucket's own host (virtual-hosted)",
    new S3Client({ region: "eu-west-1", credentials, maxAttempts: 1 }),
    "acme-logs",
  ],
  [
    "a dotted bucket (path-style over TLS)",
    new S3Client({ region: "eu-west-1", credentials, maxAttempts: 1 }),
    "logs.acme.example",
  ],
  [
    "an endpoint URL with path-style",
    new S3Client({
      region: "us-east-1",
      credentials,
      endpoint: "http://127.0.0.1:4566",
      forcePathStyle: true,
      maxAttempts: 1,
    }),
    "acme-logs",
  ],
];

describe("direct requests are the SDK's requests", () => {
  for (const [what, client, bucket] of CLIENTS)
    it(`${what}: every key's path is the SDK's, from a template made on another key`, async () => {
      const first = await sdkRequest(client, bucket, KEYS[0]!);
      const t = templateFrom(first as never, KEYS[0]!);
      expect(t, "the first request is usable as a template").toBeDefined();
      expect(t!.headers.host).toBe(first.headers.host);
      expect(t!.region).toBe(what.includes("127.0.0.1") ? "us-east-1" : await client.config.region());
      expect(t!.service).toBe("s3");
      for (const key of KEYS) {
        const sdk = await sdkRequest(client, bucket, key);
        expect({ key, path: `${t!.prefix}${encodeKeyPath(key)}`, host: t!.hostname }).toEqual({
          key,
          path: sdk.path,
          host: sdk.hostname,
        });
      }
    });

  it("a request whose path does not end in the key, or is unsigned, is no template", () => {
    const req = {
      method: "GET",
      protocol: "https:",
      hostname: "h",
      path: "/b/other",
      query: {},
      headers: { host: "h" },
    };
    expect(
      templateFrom(
        {
          ...req,
          headers: {
            ...req.headers,
            authorization:
              "AWS4-HMAC-SHA256 Credential=A/20261203/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x",
          },
        },
        "k",
      ),
    ).toBeUndefined();
    expect(templateFrom({ ...req, path: "/b/k" }, "k")).toBeUndefined();
  });
});
