/**
 * The account's buckets, for the wizard's "existing bucket" question: offered to pick from when
 * credentials are there (typing a name stays possible). Bounded by a timeout and never throws:
 * no credentials, no permission or no answer means no list.
 */
import { BoundedHttpHandler } from "../aws/bounded-handler.js";
import { cjs } from "../util/cjs.js";

export interface BucketListOptions {
  profile?: string;
  region?: string;
  timeoutMs?: number;
  endpointUrl?: string;
}

/** At most this many names are offered; the rest can be typed. */
const MAX_BUCKETS = 200;

export async function accountBuckets(opts: BucketListOptions = {}): Promise<string[] | undefined> {
  const timeoutMs = opts.timeoutMs ?? 4000;
  try {
    const s3 = cjs(await import("@aws-sdk/client-s3"));
    const client = new s3.S3Client({
      region: opts.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1",
      profile: opts.profile,
      maxAttempts: 1,
      // Bounded, and through HTTPS_PROXY / NO_PROXY like every other call.
      requestHandler: await BoundedHttpHandler.create({ connectionTimeout: 2_000, requestTimeout: timeoutMs }),
      ...(opts.endpointUrl ? { endpoint: opts.endpointUrl, forcePathStyle: true } : {}),
    });
    try {
      const res = await client.send(new s3.ListBucketsCommand({ MaxBuckets: MAX_BUCKETS }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return (res.Buckets ?? [])
        .map((b) => b.Name)
        .filter((n): n is string => typeof n === "string")
        .sort();
    } finally {
      client.destroy();
    }
  } catch {
    return undefined;
  }
}
