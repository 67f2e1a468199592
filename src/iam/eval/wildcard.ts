/**
 * IAM wildcards (`*` any run, `?` one character): actions compare
 * case-insensitively, ARNs and other values exactly. And how messages name
 * a statement: its Sid, else its 1-based position in its policy.
 */
import type { Statement } from "../policies/types.js";

const regexCache = new Map<string, RegExp>();

export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const key = `${caseInsensitive ? "i" : "s"}:${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    // \uE000 and \uE001 are a policy's ${*} and ${?}: the characters themselves (variables.ts).
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")
      .replace(/\uE000/g, "\\*")
      .replace(/\uE001/g, "\\?");
    re = new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
    regexCache.set(key, re);
  }
  return re.test(value);
}

export const actionMatches = (pattern: string, action: string): boolean => wildcardMatch(pattern, action, true);

/** `statement "Sid"` or `statement #2` (1-based, within its own policy). */
export const describeStatement = (s: Statement, index: number): string =>
  s.Sid ? `statement "${s.Sid}"` : `statement #${index + 1}`;
