import { relative, sep } from "node:path";

/** A path as code scanning wants it: relative to the working directory, forward slashes. */
export function reportUri(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return (rel === "" || rel.startsWith("..") ? path : rel).split(sep).join("/");
}

/** A string as a regular expression that matches its JSON form (quotes included), literally. */
export const quotedPattern = (s: string): string => JSON.stringify(s).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
