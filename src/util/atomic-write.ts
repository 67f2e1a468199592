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
