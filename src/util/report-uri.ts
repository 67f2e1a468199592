import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** A path as code scanning wants it: relative to the working directory, forward slashes. */
export function reportUri(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return (rel === "" || rel.startsWith("..") ? path : rel).split(sep).join("/");
}

/** A string as a regular expression that matches its JSON form (quotes included), literally. */
export const quotedPattern = (s: string): string => JSON.stringify(s).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The repository root: the nearest folder up from `cwd` holding `.git` (GitHub resolves SARIF's
 * relative URIs against the checkout), else `cwd` itself. At most 64 levels are climbed.
 */
export function sourceRoot(cwd = process.cwd()): string {
  let dir = resolve(cwd);
  for (let i = 0; i < 64; i++) {
    if (existsSync(join(dir, ".git"))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(cwd);
}
