/**
 * The local cache of normalised rows: one NDJSON file per S3 object, named by a hash of the
 * object's identity (bucket, key, size and last-modified time), so a re-run fetches only what is
 * new or changed and an overwritten object is never answered from its old copy. Files are written
 * whole (temporary name, then rename), so an interrupted run leaves nothing half-written.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Row } from "./rows.js";

/** Bumped when the row shape changes: old entries are then never read. */
const VERSION = "rows-v1";

export interface CachedObject {
  rowsFile: string;
  malformed: Array<{ line: number; message: string }>;
  rows: number;
}

/** XDG's cache folder, else ~/.cache. */
export const defaultCacheDir = (): string =>
  join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "cloudsmith-log-export", "investigate");

export class RowCache {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private base(o: { bucket: string; key: string; size: number; lastModified: Date }): string {
    const id = `${VERSION}\n${o.bucket}\n${o.key}\n${o.size}\n${o.lastModified.toISOString()}`;
    return join(this.dir, createHash("sha256").update(id).digest("hex"));
  }

  async get(o: { bucket: string; key: string; size: number; lastModified: Date }): Promise<CachedObject | undefined> {
    const base = this.base(o);
    try {
      const meta = JSON.parse(await readFile(`${base}.meta.json`, "utf8")) as Omit<CachedObject, "rowsFile">;
      await stat(`${base}.ndjson`);
      return { ...meta, rowsFile: `${base}.ndjson` };
    } catch {
      return undefined;
    }
  }

  async put(
    o: { bucket: string; key: string; size: number; lastModified: Date },
    rows: readonly Row[],
    malformed: Array<{ line: number; message: string }>,
  ): Promise<CachedObject> {
    const base = this.base(o);
    const tmp = `.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(
        `${base}.ndjson${tmp}`,
        rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : ""),
        {
          mode: 0o600,
        },
      );
      await rename(`${base}.ndjson${tmp}`, `${base}.ndjson`);
      const meta = { malformed: malformed.slice(0, 100), rows: rows.length };
      await writeFile(`${base}.meta.json${tmp}`, JSON.stringify(meta), { mode: 0o600 });
      await rename(`${base}.meta.json${tmp}`, `${base}.meta.json`);
      return { ...meta, rowsFile: `${base}.ndjson` };
    } finally {
      await rm(`${base}.ndjson${tmp}`, { force: true });
      await rm(`${base}.meta.json${tmp}`, { force: true });
    }
  }
}
