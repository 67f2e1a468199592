/**
 * The local cache of fetched objects, kept as S3 holds them (gzip stays gzip): one file per
 * object, named by a hash of its identity (bucket, key, size and last-modified time), so a re-run
 * fetches only what is new or changed and an overwritten object is never answered from its old
 * copy. Any package can be looked for in what is cached. Files are written whole (temporary name,
 * then rename), so an interrupted run leaves nothing half-written.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** Bumped when what is kept changes: old entries are then never read. */
const VERSION = "raw-v1";

export interface ObjectId {
  bucket: string;
  key: string;
  size: number;
  lastModified: Date;
}

/** XDG's cache folder, else ~/.cache. */
export const defaultCacheDir = (): string =>
  join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "cloudsmith-log-export", "investigate");

/** Where fetched objects are kept between runs (or, with `--no-cache`, not kept). */
export interface ObjectStore {
  get(o: ObjectId): Promise<Buffer | undefined>;
  put(o: ObjectId, bytes: Buffer): Promise<void>;
}

export class ObjectCache implements ObjectStore {
  /** The entries present when the run started: a cold cache costs one listing, not a failed open per object. */
  private readonly present: Set<string>;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.present = new Set(readdirSync(dir).filter((f) => f.endsWith(".obj")));
  }

  private name(o: ObjectId): string {
    const id = `${VERSION}\n${o.bucket}\n${o.key}\n${o.size}\n${o.lastModified.toISOString()}`;
    return `${createHash("sha256").update(id).digest("hex")}.obj`;
  }

  /** The cached bytes, or undefined when this version of the object was never fetched. */
  async get(o: ObjectId): Promise<Buffer | undefined> {
    const name = this.name(o);
    if (!this.present.has(name)) return undefined;
    return readFile(join(this.dir, name)).catch(() => undefined);
  }

  async put(o: ObjectId, bytes: Buffer): Promise<void> {
    const target = join(this.dir, this.name(o));
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }
}

/** `--no-cache`: every object is fetched, and nothing of it is written to disk. */
export const NO_CACHE: ObjectStore = {
  get: async () => undefined,
  put: async () => {},
};
