/** Exit codes users and CI scripts can rely on. */
import { isAbsolute, relative } from "node:path";
export const EXIT = { ok: 0, checksFailed: 1, usage: 2, internal: 3, cancelled: 130 } as const;

/** An error that ends the command with a given exit code; thrown, never process.exit'ed deep inside. */
export class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "ExitError";
  }
}

export const usageError = (message: string): ExitError => new ExitError(EXIT.usage, message);

const FS_PROBLEMS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "not permitted",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a part of the path is a file, not a directory",
  EEXIST: "already exists",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
};

/**
 * A file-system error (a path the user gave, or one a command writes) as one line naming the path
 * and the problem; undefined for anything else. These are the user's input, never a crash.
 */
export function fileProblem(error: unknown): string | undefined {
  const e = error as { code?: unknown; path?: unknown; dest?: unknown; syscall?: unknown };
  if (typeof e?.code !== "string" || !(e.code in FS_PROBLEMS) || typeof e.path !== "string") return undefined;
  const writing = ["mkdir", "rename", "unlink", "rmdir", "write", "copyfile", "symlink"].includes(String(e.syscall));
  // mkdir -p through a file: the file is in the way, whatever the code says.
  const problem =
    e.syscall === "mkdir" && (e.code === "EEXIST" || e.code === "ENOTDIR")
      ? "a file is in the way of that folder"
      : FS_PROBLEMS[e.code];
  // The path as the user would type it: relative to here when it is below here.
  const rel = relative(process.cwd(), e.path);
  const shown = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : e.path;
  return `${writing ? "cannot write" : "cannot read"} ${shown}: ${problem}`;
}
