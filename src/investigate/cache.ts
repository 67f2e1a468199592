/**
 * The local cache of fetched objects, kept as S3 holds them (gzip stays gzip), so a re-run fetches
 * only what is new or changed and any package can be looked for in what is cached. An object is
 * known by a hash of its identity (bucket, key, size and last-modified time): an overwritten object
 * is never answered from its old copy.
 *
 * Each run appends what it fetches to a pack of its own, a few MiB at a time (one file, not a file
 * per object: a month is thousands of objects, and creating thousands of files cost seconds of
 * kernel time on the bench machine), then writes the pack's index last, under a temporary name then
 * renamed. A failed write costs the cache, never the investigation (close() reports it). A pack without
 * an index (an interrupted run) is never read; an entry whose bytes no longer match its CRC-32 is
 * fetched again. Two runs at once write two packs.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { type FileHandle, open, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";

/** Bumped when what is kept changes: old entries are then never read. */
const VERSION = "pack-v1";

export interface ObjectId {
  bucket: string;
  key: string;
  size: number;
  lastModified: Date;
}

/** Where fetched objects are kept between runs (or, with `--no-cache`, not kept). */
export interface ObjectStore {
  get(o: ObjectId): Promise<Buffer | undefined>;
  put(o: ObjectId, bytes: Buffer): Promise<void>;
  /** Makes what was put readable by later runs. */
  close(): Promise<void>;
}

/** XDG's cache folder, else ~/.cache. */
export const defaultCacheDir = (): string =>
  join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "cloudsmith-log-export", "investigate");

interface Entry {
  pack: string;
  offset: number;
  length: number;
  crc: number;
}

/** Bytes of objects written to the pack at once. */
const BATCH = 4 * 2 ** 20;

/** An index line: the object's name, its offset and length in the pack, and its CRC-32. */
const LINE = /^([0-9a-f]{64}) (\d+) (\d+) (\d+)$/;

export class ObjectCache implements ObjectStore {
  private readonly index = new Map<string, Entry>();
  private readonly readers = new Map<string, Promise<FileHandle>>();
  private writer?: Promise<{ pack: string; handle: FileHandle }>;
  private end = 0;
  private readonly written: Array<[string, Entry]> = [];
  private writes: Promise<void> = Promise.resolve();
  private pending: Array<[string, Buffer]> = [];
  private pendingBytes = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const f of readdirSync(dir)) {
      if (!f.endsWith(".idx")) continue;
      const pack = `${f.slice(0, -4)}.pack`;
      let text: string;
      try {
        text = readFileSync(join(dir, f), "utf8");
      } catch {
        continue; // removed meanwhile: its objects are fetched again
      }
      for (const line of text.split("\n")) {
        const m = LINE.exec(line);
        if (m) this.index.set(m[1]!, { pack, offset: Number(m[2]), length: Number(m[3]), crc: Number(m[4]) });
      }
    }
  }

  private name(o: ObjectId): string {
    const id = `${VERSION}\n${o.bucket}\n${o.key}\n${o.size}\n${o.lastModified.toISOString()}`;
    return createHash("sha256").update(id).digest("hex");
  }

  /** The cached bytes, or undefined when this version of the object was never fetched (or is damaged). */
  async get(o: ObjectId): Promise<Buffer | undefined> {
    const e = this.index.get(this.name(o));
    if (!e) return undefined;
    try {
      let reader = this.readers.get(e.pack);
      if (!reader) {
        reader = open(join(this.dir, e.pack), "r");
        this.readers.set(e.pack, reader);
      }
      const bytes = Buffer.allocUnsafe(e.length);
      const { bytesRead } = await (await reader).read(bytes, 0, e.length, e.offset);
      return bytesRead === e.length && crc32(bytes) === e.crc ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Queues the object for this run's pack; the pack is written in batches of a few MiB (one system
   * call each, not one per object). A failed write loses only the cache: close() says so.
   */
  async put(o: ObjectId, bytes: Buffer): Promise<void> {
    this.pending.push([this.name(o), bytes]);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= BATCH) this.flush();
  }

  private flush(): void {
    const batch = this.pending.splice(0);
    this.pendingBytes = 0;
    if (batch.length === 0) return;
    this.writer ??= (async () => {
      const pack = `${Date.now()}-${randomBytes(6).toString("hex")}.pack`;
      return { pack, handle: await open(join(this.dir, pack), "wx", 0o600) };
    })();
    const writer = this.writer;
    const offset = this.end;
    this.end += batch.reduce((n, [, b]) => n + b.length, 0);
    const previous = this.writes;
    this.writes = (async () => {
      await previous;
      const { pack, handle } = await writer;
      await handle.writev(
        batch.map(([, b]) => b),
        offset,
      );
      let at = offset;
      for (const [name, b] of batch) {
        this.written.push([name, { pack, offset: at, length: b.length, crc: crc32(b) }]);
        at += b.length;
      }
    })();
    this.writes.catch(() => {}); // reported by close(), not an unhandled rejection meanwhile
  }

  async close(): Promise<void> {
    await Promise.all([...this.readers.values()].map((r) => r.then((h) => h.close()).catch(() => {})));
    this.readers.clear();
    this.flush();
    if (!this.writer) return;
    const writer = this.writer;
    this.writer = undefined;
    let failed: unknown;
    await this.writes.catch((e: unknown) => {
      failed = e;
    });
    const { pack, handle } = await writer;
    await handle.close();
    if (failed !== undefined) {
      await rm(join(this.dir, pack), { force: true });
      throw failed;
    }
    if (this.written.length === 0) {
      await rm(join(this.dir, pack), { force: true });
      return;
    }
    const idx = join(this.dir, `${pack.slice(0, -5)}.idx`);
    const tmp = `${idx}.${randomBytes(6).toString("hex")}.tmp`;
    const lines = this.written.map(([n, e]) => `${n} ${e.offset} ${e.length} ${e.crc}\n`).join("");
    try {
      await writeFile(tmp, lines, { mode: 0o600 });
      await rename(tmp, idx);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    for (const [n, e] of this.written.splice(0)) this.index.set(n, e);
  }
}

/** `--no-cache`: every object is fetched, and nothing of it is written to disk. */
export const NO_CACHE: ObjectStore = {
  get: async () => undefined,
  put: async () => {},
  close: async () => {},
};
