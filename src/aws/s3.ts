/**
 * S3 reads shared by the delivery and integrity checks: a paginated listing
 * (the SDK's paginator, with a cap), object bytes, and gzip detection by
 * magic bytes (export file names and compression are undocumented).
 */
import { gunzipSync } from "node:zlib";
import type { Clients } from "./clients.js";

export interface ListedObject {
  key: string;
  lastModified: Date;
  size: number;
}

/** `s3://bucket` or `s3://bucket/prefix`: the one way buckets and what is under them are named in messages. */
export const s3Uri = (bucket: string, path?: string): string => `s3://${bucket}${path === undefined ? "" : `/${path}`}`;

export const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The bytes as text, gunzipped first when they are gzip. */
export const gunzipIfNeeded = (b: Uint8Array): Buffer => (isGzip(b) ? gunzipSync(b) : Buffer.from(b));
export const decodeText = (b: Uint8Array): string => gunzipIfNeeded(b).toString("utf8");

/**
 * Every object under a prefix, up to `max` (then `truncated`). Folder markers
 * and keys `skip` rejects are left out.
 */
export async function listObjects(
  c: Clients,
  Bucket: string,
  Prefix: string,
  opts: { max?: number; skip?: (key: string) => boolean } = {},
): Promise<{ objects: ListedObject[]; truncated: boolean }> {
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  const objects: ListedObject[] = [];
  for await (const page of c.s3mod.paginateListObjectsV2({ client: c.s3 }, { Bucket, Prefix })) {
    for (const o of page.Contents ?? []) {
      if (!o.Key || o.Key.endsWith("/") || opts.skip?.(o.Key)) continue;
      objects.push({ key: o.Key, lastModified: o.LastModified ?? new Date(0), size: o.Size ?? 0 });
    }
    if (objects.length >= max && page.IsTruncated) return { objects, truncated: true };
  }
  return { objects, truncated: false };
}

/** An object's bytes and user metadata; `undefined` when the key does not exist. */
export async function getObject(
  c: Clients,
  Bucket: string,
  Key: string,
): Promise<{ body: Uint8Array; metadata: Record<string, string> } | undefined> {
  try {
    const res = await c.s3.send(new c.s3mod.GetObjectCommand({ Bucket, Key }));
    return { body: await res.Body!.transformToByteArray(), metadata: res.Metadata ?? {} };
  } catch (e) {
    if ((e as { name?: string }).name === "NoSuchKey") return undefined;
    throw e;
  }
}
