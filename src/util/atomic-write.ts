import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Writes a file whole or not at all: a temporary file beside it, then
 * rename(2). The temporary file has a random name and is created exclusively
 * (O_CREAT|O_EXCL, O_NOFOLLOW), so a file or link planted at a predictable
 * name can neither be overwritten nor redirect the write; rename replaces the
 * target itself, never what a link at the target points to.
 */
export async function writeFileAtomically(file: string, text: string, mode = 0o644): Promise<void> {
  const target = resolve(file);
  await mkdir(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString("hex")}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  try {
    const fh = await open(tmp, flags, mode);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    // The user named the target, not our temporary file: the error says the target.
    if (e && typeof e === "object" && (e as { path?: unknown }).path === tmp) (e as { path: string }).path = file;
    throw e;
  }
}

/**
 * Checks, before any work, that `file` can be written where writeFileAtomically would write it:
 * its folder exists (created now, as the write would) and is writable, and the path is not a
 * folder. Throws the file-system error (naming the path) or a usage error.
 */
export async function checkWritable(file: string): Promise<void> {
  const { access, stat } = await import("node:fs/promises");
  const target = resolve(file);
  try {
    await mkdir(dirname(target), { recursive: true });
    await access(dirname(target), constants.W_OK);
  } catch (e) {
    // Said as the write it stands for.
    if (e && typeof e === "object" && (e as { syscall?: string }).syscall === "access")
      Object.assign(e, { syscall: "write" });
    throw e;
  }
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) {
    const e = new Error(`EISDIR: ${file}`) as NodeJS.ErrnoException;
    Object.assign(e, { code: "EISDIR", path: file, syscall: "write" });
    throw e;
  }
}
