/**
 * S3 reads shared by the delivery and integrity checks: a paginated listing
 * (the SDK's paginator, with a cap), object bytes, and gzip detection by
 * magic bytes (export file names and compression are undocumented). Every
 * read is bounded: object bodies stream through gunzip with an output limit,
 * so a gzip bomb costs a bounded amount of memory and time.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { Clients } from "./clients.js";

/** An object that inflates (or reads) beyond the limit the caller set. */
export class ObjectTooLarge extends Error {
  constructor(
    readonly key: string,
    readonly limit: number,
  ) {
    super(`${key} is larger than ${Math.round(limit / 2 ** 20)} MiB uncompressed`);
  }
}

export interface ListedObject {
  key: string;
  lastModified: Date;
  size: number;
}

/** `s3://bucket` or `s3://bucket/prefix`: the one way buckets and what is under them are named in messages. */
export const s3Uri = (bucket: string, path?: string): string => `s3://${bucket}${path === undefined ? "" : `/${path}`}`;

export const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Empty pages in a row, each saying there is more, before a listing is taken to be broken. */
const MAX_EMPTY_PAGES = 100;

/**
 * Every object under a prefix, up to `max` (then `truncated`). Folder markers
 * and keys `skip` rejects are left out.
 */
export async function listObjects(
  c: Clients,
  Bucket: string,
  Prefix: string,
  opts: {
    max?: number;
    skip?: (key: string) => boolean;
    /** Keys a page (S3's default: 1,000). */
    pageSize?: number;
    /** Each page's objects as it arrives, so work on them can start before the listing ends. */
    onPage?: (objects: ListedObject[]) => void;
  } = {},
): Promise<{ objects: ListedObject[]; truncated: boolean }> {
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  const objects: ListedObject[] = [];
  // An endpoint that is not S3 (or a broken proxy) may page forever: a token seen before, or a long
  // run of empty pages that still say "more", ends the listing with an error, never a hang.
  const seen = new Set<string>();
  let empty = 0;
  for await (const page of c.s3mod.paginateListObjectsV2(
    { client: c.s3, ...(opts.pageSize ? { pageSize: opts.pageSize } : {}) },
    { Bucket, Prefix },
  )) {
    const next = page.NextContinuationToken;
    if (page.IsTruncated && next !== undefined) {
      if (seen.has(next))
        throw new Error(
          `listing ${s3Uri(Bucket, Prefix)}: the endpoint sent the same continuation token twice (stopped)`,
        );
      seen.add(next);
    }
    empty = (page.Contents?.length ?? 0) === 0 && page.IsTruncated ? empty + 1 : 0;
    if (empty >= MAX_EMPTY_PAGES)
      throw new Error(
        `listing ${s3Uri(Bucket, Prefix)}: ${empty} empty pages in a row that say there is more (stopped)`,
      );
    const before = objects.length;
    for (const o of page.Contents ?? []) {
      if (!o.Key || o.Key.endsWith("/") || opts.skip?.(o.Key)) continue;
      objects.push({ key: o.Key, lastModified: o.LastModified ?? new Date(0), size: o.Size ?? 0 });
    }
    opts.onPage?.(objects.slice(before));
    if (objects.length >= max && page.IsTruncated) return { objects, truncated: true };
  }
  return { objects, truncated: false };
}

/** GetObject's answer, or undefined when the key does not exist (any other failure is thrown). */
async function getObject(
  c: Clients,
  Bucket: string,
  Key: string,
): Promise<{ Body?: unknown; Metadata?: Record<string, string> } | undefined> {
  try {
    return await c.s3.send(new c.s3mod.GetObjectCommand({ Bucket, Key }));
  } catch (e) {
    if ((e as { name?: string }).name === "NoSuchKey") return undefined;
    throw e;
  }
}

/**
 * Streams an object's content (gunzipped when it is gzip) through `onChunk`,
 * stopping at `limit` bytes of output. `undefined` when the key does not exist.
 */
export async function streamObject(
  c: Clients,
  Bucket: string,
  Key: string,
  limit: number,
  onChunk: (chunk: Buffer, gzip: boolean) => void,
): Promise<{ metadata: Record<string, string>; bytes: number; gzip: boolean } | undefined> {
  const res = await getObject(c, Bucket, Key);
  if (!res) return undefined;
  const body = res.Body as Readable;
  let bytes = 0;
  let first = true;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  const emit = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > limit) throw new ObjectTooLarge(Key, limit);
    onChunk(chunk, gunzip !== undefined);
  };
  // A streamed body must never stall: give up after two minutes without completion.
  const timer = setTimeout(() => body.destroy(new Error(`reading ${Key} took longer than 120 s`)), 120_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (e: unknown) => {
        body.destroy();
        gunzip?.destroy();
        reject(e);
      };
      body.on("error", fail);
      body.on("data", (chunk: Buffer) => {
        if (first) {
          first = false;
          if (isGzip(chunk)) {
            gunzip = createGunzip();
            gunzip.on("data", (out: Buffer) => {
              try {
                emit(out);
              } catch (e) {
                fail(e);
              }
            });
            gunzip.on("error", fail);
            gunzip.on("end", resolve);
          }
        }
        if (gunzip) {
          if (!gunzip.write(chunk)) {
            body.pause();
            gunzip.once("drain", () => body.resume());
          }
        } else {
          try {
            emit(chunk);
          } catch (e) {
            fail(e);
          }
        }
      });
      body.on("end", () => (gunzip ? gunzip.end() : resolve()));
    });
  } finally {
    clearTimeout(timer);
    body.destroy();
  }
  return { metadata: res.Metadata ?? {}, bytes, gzip: gunzip !== undefined };
}

/**
 * An object's content (gunzipped) and metadata, at most `limit` bytes (beyond it: ObjectTooLarge,
 * or with `head`, the first `limit` bytes); `undefined` when it does not exist.
 */
export async function readObject(
  c: Clients,
  Bucket: string,
  Key: string,
  limit: number,
  opts: { head?: boolean } = {},
): Promise<{ body: Buffer; metadata: Record<string, string>; gzip: boolean; truncated?: boolean } | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let gzip = false;
  try {
    const r = await streamObject(c, Bucket, Key, opts.head ? Number.POSITIVE_INFINITY : limit, (b, isGzipped) => {
      gzip = isGzipped;
      const room = limit - size;
      chunks.push(b.length > room ? b.subarray(0, room) : b);
      size += Math.min(b.length, room);
      if (opts.head && size >= limit) throw new HeadRead();
    });
    return r && { body: Buffer.concat(chunks), metadata: r.metadata, gzip: r.gzip };
  } catch (e) {
    if (e instanceof HeadRead) return { body: Buffer.concat(chunks), metadata: {}, gzip, truncated: true };
    throw e;
  }
}

/** Stops a head read once it has what it asked for. */
class HeadRead extends Error {}

/** The SHA-256 (hex) of an object's content (gunzipped), streamed; `undefined` when it does not exist. */
export async function hashObject(c: Clients, Bucket: string, Key: string, limit: number): Promise<string | undefined> {
  const hash = createHash("sha256");
  const r = await streamObject(c, Bucket, Key, limit, (b) => hash.update(b));
  return r && hash.digest("hex");
}
